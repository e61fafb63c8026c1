import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bin, frugalSync, oneCleanLine, requireBuiltCli } from './testing/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-ux-'));
const frugal = (args: string[]) => frugalSync(args, root);
const COMMANDS = ['train', 'eval', 'predict', 'preview', 'convert', 'doctor', 'list', 'demo', 'ladder', 'label', 'suggest', 'sweep', 'worker', 'completion'];
const ESC = '\u001b[';
const has = (program: string) => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;

/** `frugal ARGS` without waiting, so that several run at once. */
function frugalLater(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, FORCE_COLOR: '0' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs `frugal ARGS` on a pseudo-terminal (util-linux `script`), with `env` added. The variables by
 * which Node turns a terminal's colours off (CI among them, as CI machines set it) are removed first.
 */
function onTerminal(args: string, env: Record<string, string> = {}): string {
  const clean: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['FORCE_COLOR', 'NO_COLOR', 'NODE_DISABLE_COLORS', 'CI']) delete clean[name];
  Object.assign(clean, { TERM: 'xterm-256color' }, env);
  const r = spawnSync('script', ['-qec', `${process.execPath} ${bin} ${args}`, '/dev/null'], { cwd: root, encoding: 'utf8', env: clean });
  return r.stdout;
}

/** What bash completes `line` (the words typed so far; the last may be partial) to. */
let bashScript: string | undefined;
function bashCompletes(words: string[]): string[] {
  bashScript ??= frugal(['completion', 'bash']).stdout;
  const script = bashScript;
  const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _frugal_complete; printf '%s\\n' "\${COMPREPLY[@]}"`], {
    cwd: root,
    encoding: 'utf8',
  });
  return r.stdout.split('\n').filter(Boolean).sort();
}

beforeAll(() => requireBuiltCli());
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the frugal command as a modern CLI', () => {
  it('frugal COMMAND --help shows its flags and examples, for every command', async () => {
    const helps = await Promise.all(COMMANDS.map((command) => frugalLater([command, '--help'])));
    for (const [i, command] of COMMANDS.entries()) {
      const r = helps[i]!;
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(new RegExp(`^Usage: frugal ${command} `));
      expect(r.stdout, command).toMatch(new RegExp(`\\nExamples:\\n {2}(source <\\(frugal completion|frugal ${command})`));
    }
    // Every frugal line of the READMEs' and the guides' shell blocks: a command whose help (and the
    // top-level help, for the flags before it) lists every flag the line shows.
    const top = await frugalLater(['--help']);
    const repo = join(import.meta.dirname, '..', '..', '..');
    const pages = [
      'README.md',
      ...readdirSync(join(repo, 'docs', 'guide')).map((page) => join('docs', 'guide', page)),
      ...readdirSync(join(repo, 'packages')).map((name) => join('packages', name, 'README.md')),
    ];
    const lines = pages.flatMap((page) =>
      [...readFileSync(join(repo, page), 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)]
        .flatMap((m) => (m[1] as string).split('\n'))
        .map((line) => line.replace(/(^|\s)#.*$/, '').replace(/^(npx|npm run) frugal( --)? /, 'frugal ').trim())
        .filter((line) => line.startsWith('frugal '))
        .map((line) => ({ page, line })),
    );
    expect(lines.length).toBeGreaterThan(30);
    for (const { page, line } of lines) {
      const words = line.split(/\s+/);
      const at = words.findIndex((word) => COMMANDS.includes(word));
      expect(at, `${page}: ${line}`).toBeGreaterThan(0);
      const help = helps[COMMANDS.indexOf(words[at]!)]!.stdout;
      for (const [i, word] of words.entries()) {
        const flag = word.match(/^\[?(--[a-z-]+)/)?.[1]; // [--flag] is an optional one
        if (flag) expect(i < at ? top.stdout : help, `${page}: ${line}: ${flag}`).toMatch(new RegExp(`^\\s+(-\\w, )?${flag}\\b`, 'm'));
      }
    }
  });

  it('stops quietly when the reader of its output stops early (| head)', () => {
    // `true` reads nothing and is gone before the command starts writing: every write finds the pipe closed.
    const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" "${bin}" label --help | true`], { cwd: root, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('bad command lines exit 2 with one line saying what to do', async () => {
    const cases: [string[], string][] = [
      [['train', '--nope'], "unknown option '--nope'; run frugal train --help for usage"],
      [['trian'], "unknown command 'trian' (Did you mean train?); run frugal --help for usage"],
      [['eval'], "missing required argument 'runDir'; run frugal eval --help for usage"],
      [['convert', 'w.safetensors', '--out', 'x'], "required option '--model <name>' not specified; run frugal convert --help for usage"],
      [['completion', 'fish'], 'Unknown shell "fish" for frugal completion; choose one of bash, zsh'],
      [['list', '--threads', '0'], '--threads 0: give a whole number of threads from 1 to 1024'],
    ];
    const results = await Promise.all(cases.map(([args]) => frugalLater(args)));
    for (const [i, [args, message]] of cases.entries()) {
      const r = results[i]!;
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr, args.join(' ')).toContain(`frugal: ${message}`);
    }
  });

  it('with --verbose, follows the error\'s line with its stack trace, naming the TypeScript sources', () => {
    const recipe = join(root, 'verbose.json');
    writeFileSync(recipe, JSON.stringify({ data: { dataset: 'mnist' }, model: { name: 'resnet8' }, bogus: 1 }));
    const r = frugal(['train', recipe, '--verbose']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('frugal: recipe: unknown key "bogus"');
    // The bundles' source maps lead each frame to its module: packages/core/src/recipe/validate.ts:LINE:COLUMN.
    expect(r.stderr).toMatch(/^\s+at .*[/\\]core[/\\]src[/\\]recipe[/\\][\w-]+\.ts:\d+:\d+\)?$/m);
    expect(frugal(['train', recipe]).stderr).not.toMatch(/^\s+at /m);
  });

  it('completes commands, flags and list kinds in bash', () => {
    expect(bashCompletes(['frugal', 'tr'])).toEqual(['train']);
    expect(bashCompletes(['frugal', 'train', '--r'])).toEqual(['--resume', '--run-dir']);
    expect(bashCompletes(['frugal', 'list', 'aug'])).toEqual(['augmentations']);
    expect(bashCompletes(['frugal', '--json', 'list', '--rec'])).toEqual(['--recipe']);
    // A flag's value before the command is not the command.
    expect(bashCompletes(['frugal', '--threads', '1', 'tr'])).toEqual(['train']);
    expect(bashCompletes(['frugal', '--threads', '1', '--precision', 'bfloat16', 'train', '--r'])).toEqual(['--resume', '--run-dir']);
    expect(bashCompletes(['frugal', '--precision', 'b'])).toEqual(['bfloat16']);
  });

  it.skipIf(!has('zsh'))(`completes in zsh too, through bashcompinit${has('zsh') ? '' : ' (skipped: zsh is not installed)'}`, () => {
    const script = frugal(['completion', 'zsh']).stdout;
    // What zsh's bashcompinit hands the function: COMP_WORDS counted from 1, COMP_CWORD = CURRENT - 1.
    const zshCompletes = (words: string[]) => {
      const call = `COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _frugal_complete; print -l -- "\${COMPREPLY[@]}"`;
      const r = spawnSync('zsh', ['-c', `${script}\n${call}`], { cwd: root, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      // zsh filters by what is typed itself, so the function offers every word that fits the position.
      return r.stdout.split('\n').filter(Boolean);
    };
    expect(zshCompletes(['frugal', 'li'])).toContain('list');
    expect(zshCompletes(['frugal', 'train', '--r'])).toEqual(expect.arrayContaining(['--resume', '--run-dir']));
    expect(zshCompletes(['frugal', 'train', '--r'])).not.toContain('list');
    expect(zshCompletes(['frugal', 'list', 'aug'])).toContain('augmentations');
    expect(zshCompletes(['frugal', '--threads', '1', 'train', '--r'])).toEqual(expect.arrayContaining(['--resume', '--run-dir']));
  });

  it.skipIf(!has('script'))(`colours only on a terminal, and never with NO_COLOR${has('script') ? '' : ' (skipped: util-linux script is not installed)'}`, () => {
    const piped = frugal(['list', 'callbacks']);
    expect(piped.stdout).toContain('callbacks:');
    expect(piped.stdout).not.toContain(ESC);
    const tty = onTerminal('list callbacks');
    expect(tty).toContain(`${ESC}1mcallbacks:${ESC}22m`);
    expect(onTerminal('list callbacks', { NO_COLOR: '1' })).not.toContain(ESC);
    expect(onTerminal('--help')).toContain(`${ESC}1mUsage:`);
    expect(onTerminal('--help', { NO_COLOR: '1' })).not.toContain(ESC);
    expect(onTerminal('list modles')).toContain(`${ESC}1m${ESC}31mfrugal:`);
    expect(onTerminal('list modles', { NO_COLOR: '1' })).toMatch(/^frugal: Unknown list "modles"/);
    expect(onTerminal('list callbacks --json')).not.toContain(ESC);
  });
});
