// Every TypeScript and JavaScript block of the packages' READMEs, run as written: each in its own
// Node process on the built packages (esbuild strips the types), in a fresh folder where `given`
// first makes what the block says it assumes. A `console.log(...); // VALUE` line must print VALUE
// (spaces aside; `…` stands for any text).
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { transformSync } from 'esbuild';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { docsDir } from './built-site.js';

const repo = join(docsDir, '..');
const READMES = [
  ...readdirSync(join(repo, 'packages')).map((name) => join('packages', name, 'README.md')),
  join('docs', 'examples', 'third-party-plugin', 'README.md'),
].filter((file) => existsSync(join(repo, file)));
// Inside the repository, so that the blocks' imports resolve as a user's would.
const modules = join(docsDir, 'out-tsc', 'readme-examples');
const folders = mkdtempSync(join(tmpdir(), 'frugal-readme-examples-'));
const cli = join(repo, 'packages', 'cli', 'dist', 'bin.js');
const torchFixture = join(repo, '..', 'shared', 'fixtures', 'torchvision', 'resnet18-seed1.weights.safetensors');
afterAll(() => rmSync(folders, { recursive: true, force: true }));

interface Given {
  /** What the block needs that this machine may lack: the reason it is skipped, or undefined. */
  needs?: () => string | undefined;
  /** Files the block reads, made in its folder. */
  files?: (dir: string) => Promise<void>;
  /** Code run before the block: the variables a fragment uses. */
  prelude?: string;
  /** What the block must have done, beyond exiting 0 and printing what its comments say. */
  check?: (dir: string, stdout: string) => void;
}

/** `count` PNG files of `side` pixels in `dir`, in two shades a class so that a network can tell them apart. */
async function writeImages(dir: string, count: number, shade: number, side = 16): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const pixels = Buffer.alloc(side * side * 3, shade + 10 * (i % 3));
    await sharp(pixels, { raw: { width: side, height: side, channels: 3 } }).png().toFile(join(dir, `${i}.png`));
  }
}

async function writeClassFolders(dir: string, count: number): Promise<void> {
  await writeImages(join(dir, 'cat'), count, 40);
  await writeImages(join(dir, 'dog'), count, 200);
}

const given: Record<string, Given> = {
  'packages/active-learning/README.md#1': {
    prelude: `
      import { Rng } from '@frugal/core';
      import { stripes, tinyStagedNet, useCpu } from '@frugal/core/testing';
      await useCpu();
      const model = tinyStagedNet(3, [8, 8, 1], new Rng(0));
      const normalization = { mean: [0.5], std: [0.25] };
      const labelled = stripes(6, 1);
      const unlabelled = { ...stripes(40, 2), origins: Array.from({ length: 40 }, (_, i) => \`photos/\${i}.png\`) };`,
    check: (dir) => {
      const lines = readFileSync(join(dir, 'to-label.csv'), 'utf8').trim().split('\n');
      expect(lines[0]).toBe('file,class,predicted,confidence');
      expect(lines).toHaveLength(21);
    },
  },
  'packages/augment/README.md#1': {
    check: (dir) => expect(readFileSync(join(dir, 'preview.png')).subarray(1, 4).toString()).toBe('PNG'),
  },
  'packages/cli/README.md#1': {
    check: (_dir, stdout) => expect(JSON.parse(stdout).models).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'resnet20' })])),
  },
  'packages/core/README.md#1': {
    check: (dir, stdout) => {
      expect(Number(stdout.trim())).toBeGreaterThan(0.5);
      expect(existsSync(join(dir, 'runs', 'mnist-10', 'model', 'frugal.json'))).toBe(true);
    },
  },
  'packages/data/README.md#1': {
    files: async (dir) => {
      await writeClassFolders(join(dir, 'pets', 'train'), 4);
      await writeClassFolders(join(dir, 'pets', 'test'), 2);
    },
    check: (_dir, stdout) => expect(stdout).toMatch(/\[ 'cat', 'dog' \] 0 skipped/),
  },
  'packages/data/README.md#2': {
    files: (dir) => writeImages(join(dir, 'unlabelled'), 5, 90),
  },
  'packages/distributed/README.md#1': {
    files: async (dir) => {
      await writeClassFolders(join(dir, 'shots'), 6);
      await writeImages(join(dir, 'photos'), 7, 120);
      const recipe = {
        data: { dataset: 'image-folder', params: { dir: join(dir, 'shots'), size: 16 } },
        model: { name: 'resnet8', params: { widthMultiplier: 0.5 } },
        train: { epochs: 1, batchSize: 4 },
      };
      writeFileSync(join(dir, 'teacher.json'), JSON.stringify(recipe));
      const trained = spawnSync(process.execPath, [cli, 'train', 'teacher.json', '--run-dir', 'runs/T', '--quiet'], { cwd: dir, encoding: 'utf8' });
      if (trained.status !== 0) throw new Error(`the teacher did not train: ${trained.stderr}`);
    },
    check: (dir, stdout) => {
      expect(stdout).toMatch(/^7 labelled, 0 skipped$/m);
      expect(readFileSync(join(dir, 'labels.jsonl'), 'utf8').trim().split('\n')).toHaveLength(7);
    },
  },
  'packages/models-resnet/README.md#2': {
    needs: () => (existsSync(torchFixture) ? undefined : `${torchFixture} is missing (the torchvision fixtures of ../shared)`),
    files: async (dir) => copyFileSync(torchFixture, join(dir, 'resnet18.safetensors')),
    prelude: `
      import '@tensorflow/tfjs-backend-cpu';
      import { createFrugal } from '@frugal/core';
      import { resnet } from '@frugal/models-resnet';
      const frugal = createFrugal({ plugins: [resnet()] });`,
    check: (dir) => expect(existsSync(join(dir, 'resnet18-tfjs', 'model.json'))).toBe(true),
  },
  'packages/runtime-native/README.md#1': {
    needs: () => (existsSync(join(repo, 'packages', 'runtime-native', 'build', 'Release', 'frugal_native.node')) ? undefined : 'the native addon is not built (apt-get install libdnnl-dev, then npm run build:addon -w @frugal/runtime-native)'),
  },
};

/** The README's code blocks in TypeScript or JavaScript, in order. */
function codeBlocks(file: string): string[] {
  const text = readFileSync(join(repo, file), 'utf8');
  return [...text.matchAll(/```(?:ts|js)\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** What the block's `console.log(...); // VALUE` lines say they print, as patterns over the output without spaces. */
function printed(block: string): RegExp[] {
  const bare = (s: string) => s.replace(/\s+/g, '');
  return [...block.matchAll(/^[ \t]*console\.log\(.*\);[ \t]*\/\/[ \t]*(.+)$/gm)].map(
    (m) => new RegExp(bare(m[1] as string).split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*?')),
  );
}

function runBlock(name: string, code: string, dir: string): { stdout: string } {
  mkdirSync(modules, { recursive: true });
  const file = join(modules, `${name.replace(/[^\w]+/g, '-')}.mjs`);
  writeFileSync(file, transformSync(code, { loader: 'ts', format: 'esm', target: 'node20' }).code);
  // One native thread: the suite runs other packages' tests beside this one, and a second thread would wait on them.
  const run = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 600_000, env: { ...process.env, FRUGAL_NUM_THREADS: '1', FORCE_COLOR: '0' } });
  if (run.status !== 0) throw new Error(`${name} exited ${run.status ?? run.signal}:\n${run.stderr}\n${run.stdout}`);
  return { stdout: run.stdout };
}

describe('the packages\' README examples, run as written', () => {
  for (const file of READMES) {
    codeBlocks(file).forEach((block, i) => {
      const name = `${file}#${i + 1}`;
      const setup = given[name] ?? {};
      const missing = setup.needs?.();
      if (missing) {
        // Skipped where this machine lacks what the block needs (the native addon, the torchvision
        // fixtures), and said so in the test's name; CI has both, so there it runs.
        it.skip(`${name}: SKIPPED, ${missing}`, () => {});
        return;
      }
      it(name, async () => {
        const dir = mkdtempSync(join(folders, 'example-'));
        await setup.files?.(dir);
        const { stdout } = runBlock(name, `${setup.prelude ?? ''}\n${block}`, dir);
        const output = stdout.replace(/\s+/g, '');
        for (const pattern of printed(block)) expect(output, `${name} prints ${pattern}`).toMatch(pattern);
        setup.check?.(dir, stdout);
      }, 900_000);
    });
  }
});
