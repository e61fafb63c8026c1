import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

/** The built command, `packages/cli/dist/bin.js`; FRUGAL_E2E_BIN runs the tests against another build. */
export const bin = process.env.FRUGAL_E2E_BIN ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'bin.js');

export function requireBuiltCli(): void {
  if (!existsSync(bin)) throw new Error(`${bin} is missing: build the CLI first (npx nx build @frugal/cli)`);
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `frugal ARGS` to completion in `cwd`. */
export function frugalSync(args: readonly string[], cwd: string): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The backend `frugal doctor` picks here, its instruction set (native) and whether it can run in bfloat16. */
export function doctorHere(cwd: string): { backend: string; isa?: string; bfloat16: boolean } {
  const { backend, backendDetails } = JSON.parse(frugalSync(['--json', 'doctor'], cwd).stdout) as { backend: string; backendDetails: Record<string, unknown> };
  const isa = backend === 'native' ? String(backendDetails['isa']) : undefined;
  return { backend, isa, bfloat16: isa !== undefined && ['avx512-bf16', 'avx512-amx'].includes(isa) };
}

/** Starts `frugal ARGS` in the background; `done` resolves with its exit code and output. */
export function frugalAsync(args: readonly string[], cwd: string): { child: ChildProcess; stderr: () => string; done: Promise<CliResult> } {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, FORCE_COLOR: '0' } });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  // 'close', not 'exit': the output may still be arriving when the process exits.
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : null), stdout, stderr })));
  return { child, stderr: () => stderr, done };
}

/** Classes of 12×12 grey PNGs: a bright bar in band k of `classes.length` vertical bands. */
export async function writeBarsFolder(dir: string, perClass: number, seed: number, classes = ['left', 'middle', 'right']): Promise<void> {
  for (const [k, name] of classes.entries()) {
    mkdirSync(join(dir, name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const px = new Uint8Array(12 * 12);
      for (let p = 0; p < px.length; p++) {
        const band = Math.floor(((p % 12) * classes.length) / 12);
        px[p] = (band === k ? 190 : 50) + ((p * 7 + i * 13 + seed) % 40);
      }
      await sharp(px, { raw: { width: 12, height: 12, channels: 1 } }).png().toFile(join(dir, name, `${i}.png`));
    }
  }
}

/** A small recipe on image folders under `root` (train/, test/), a tiny ResNet-20 on the wasm backend. */
export function barsRecipe(root: string, epochs: number, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'bars',
    seed: 1,
    backend: 'wasm',
    data: {
      dataset: 'image-folder',
      params: { dir: join(root, 'train'), testDir: join(root, 'test'), size: 12, color: 'grayscale', resize: 'exact' },
    },
    model: { name: 'resnet20', params: { widthMultiplier: 0.25 } },
    train: { epochs, batchSize: 8, optimizer: { name: 'adam', lr: 0.01, weightDecay: 0 } },
    output: { dir: join(root, 'runs') },
    ...extra,
  };
}

/** The error is one line (`frugal: ...`), without a stack trace or a pointer to --verbose; notes before it are allowed. */
export function oneCleanLine(stderr: string): boolean {
  const errors = stderr.split('\n').filter((line) => line.startsWith('frugal: '));
  return errors.length === 1 && !/\n\s+at /.test(stderr) && !/--verbose/.test(stderr) && errors[0]!.length < 600;
}
