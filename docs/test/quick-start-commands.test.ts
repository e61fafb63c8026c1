// The quick-start page's `npm run frugal -- …` commands, run as written at the repository root.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { docsDir } from './built-site.js';

const repo = join(docsDir, '..');
const page = readFileSync(join(docsDir, 'guide', 'quick-start.md'), 'utf8');
const section = page.slice(page.indexOf('## The `frugal` command'), page.indexOf('## From code'));
const commands = [...section.matchAll(/```sh\n([\s\S]*?)```/g)]
  .flatMap((m) => (m[1] as string).split('\n'))
  .map((line) => line.replace(/\s#.*$/, '').trim())
  .filter((line) => line.startsWith('npm run frugal -- '));

/** What each command must print or write, by its frugal command. */
const checks: Record<string, (stdout: string) => void> = {
  list: (stdout) => expect(stdout).toMatch(/resnet20[\s\S]*fixmatch[\s\S]*image-folder/),
  doctor: (stdout) => expect(stdout).toMatch(/^backend: \S+/m),
  train: () => {
    const summary = JSON.parse(readFileSync(join(repo, 'runs', 'digits', 'summary.json'), 'utf8')) as { evaluation: { accuracy: number } };
    expect(summary.evaluation.accuracy).toBeGreaterThan(0.5);
  },
};
// The train command writes runs/digits at the root; a run a person left there is not touched.
const runs = join(repo, 'runs');
const digitsRun = join(runs, 'digits');
const keptRun = existsSync(digitsRun);
const madeRuns = !existsSync(runs);

describe("the quick start's frugal commands, at the repository root", () => {
  it('finds the three', () => {
    expect(commands.map((line) => line.split(/\s+/)[4])).toEqual(['list', 'doctor', 'train']);
  });

  for (const command of commands) {
    const name = command.split(/\s+/)[4] as string;
    if (name === 'train' && keptRun) {
      // Skipped only on a machine where someone's own runs/digits sits at the repository root: the
      // command as written would be refused there (the folder holds a run), and --force would replace
      // their run. A clean clone, as CI has, has none, so there it runs.
      it.skip(`${command}: SKIPPED, ${digitsRun} holds a run already, which this test leaves as it is`, () => {});
      continue;
    }
    it(command, () => {
      const run = spawnSync('npm', command.split(/\s+/).slice(1), { cwd: repo, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
      try {
        expect(run.status, `${run.stderr}\n${run.stdout}`).toBe(0);
        checks[name]?.(run.stdout);
      } finally {
        if (name === 'train') {
          rmSync(digitsRun, { recursive: true, force: true });
          if (madeRuns && readdirSync(runs).length === 0) rmdirSync(runs);
        }
      }
    });
  }
});
