// The README's benchmark commands, each run as the README writes it from the repository root, with
// flags that shrink it to seconds (fewer images, steps, seeds and seconds per measurement) and its
// outputs in a temporary folder: what each prints must be the benchmark's table, PyTorch's row
// and the ratios included. Speed is not asserted here; the benchmarks report it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repo = join(import.meta.dirname, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'frugal-bench-commands-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const has = (command, ...args) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
/** `check`'s answer, asked once (importing PyTorch takes seconds). */
const once = (check) => {
  let answer;
  return () => (answer ??= { value: check() }).value;
};
const needs = {
  torch: once(() => (has('/usr/bin/python3', '-c', 'import torch, torchvision') ? undefined : 'PyTorch is not installed (apt-get install -y python3-torch python3-torchvision)')),
  fashion: () => (existsSync('/usr/share/datasets/fashion-mnist') ? undefined : 'Fashion-MNIST is not installed (apt-get install -y dataset-fashion-mnist)'),
  redis: () => (has('redis-server', '--version') ? undefined : 'redis-server is not installed (apt-get install -y redis-server)'),
};

/**
 * `node SCRIPT ARGS` (python3 for a .py script) at the repository root, its temporary files in `work`;
 * the native backend on one thread where the script leaves it to the default, since the suite runs
 * other tests beside this one (a benchmark that sets its threads keeps them).
 */
function atRoot(script, args) {
  const [command, argv] = script.endsWith('.py') ? ['/usr/bin/python3', [script, ...args]] : [process.execPath, [script, ...args]];
  return spawnSync(command, argv, { cwd: repo, encoding: 'utf8', timeout: 240_000, env: { ...process.env, FRUGAL_NUM_THREADS: '1', FORCE_COLOR: '0', TMPDIR: work } });
}

let fastest;
/** The backend `auto` takes on this machine, as `frugal doctor` names it. */
function fastestBackend() {
  if (fastest) return fastest;
  const doctor = spawnSync(process.execPath, [join(repo, 'packages', 'cli', 'dist', 'bin.js'), 'doctor', '--json'], { encoding: 'utf8' });
  if (doctor.status !== 0) throw new Error(`frugal doctor --json exited ${doctor.status}: ${doctor.stderr.trim()}`);
  fastest = JSON.parse(doctor.stdout).backend;
  return fastest;
}

/** A number, as the tables print them (1,234.5, 0.93, 12%). */
const n = String.raw`[\d,]+(?:\.\d+)?`;

/**
 * Per script of the README: the flags that make it quick, what its output must hold, and what it
 * needs that a machine may lack. `dir` is a fresh folder for the command's outputs.
 */
const quick = {
  'tools/bench/backends/run.mjs': {
    // The backend the demo would take here (native where oneDNN is), in one process: the other
    // backends' rows and the data-parallel ones are the same code, half a minute more.
    flags: () => ['--models', 'resnet8', '--seconds', '0.5', '--torch-threads', '1', '--backends', fastestBackend(), '--workers', '1'],
    get prints() {
      // Each row: speeds and their ratios to PyTorch, then the peak memory after training and its ratio.
      return [
        new RegExp(`^resnet8\\s+pytorch \\(1 thread\\)\\s+${n}\\s+1\\.000×.*\\s${n}\\s+1\\.000×$`, 'm'),
        new RegExp(`^resnet8\\s+${fastestBackend()}\\b.*?\\s+${n}\\s+${n}×\\s+${n}\\s+${n}×.*\\s${n}\\s+${n}×$`, 'm'),
        /^train peak MB: /m,
      ];
    },
    needs: ['torch'],
  },
  'tools/bench/models/run.mjs': {
    flags: () => ['--models', 'resnet18', '--size', '64', '--batch', '2', '--seconds', '0.5'],
    prints: [new RegExp(`'resnet18'\\s*│\\s*'${n}'\\s*│\\s*'${n}'\\s*│\\s*'${n}'\\s*│\\s*'${n}'`), /torch [\w.]+ cpu/],
    needs: ['torch'],
  },
  'tools/bench/models/degradation.mjs': {
    flags: (dir) => ['--models', 'plain20,resnet20', '--images', '100', '--test', '50', '--epochs', '1', '--out', dir],
    prints: [new RegExp(`'plain20'\\s*│\\s*'${n}%'\\s*│\\s*'${n}%'`), new RegExp(`'resnet20'\\s*│\\s*'${n}%'`)],
    files: ['curves.json', 'training-error.svg'],
  },
  'tools/bench/augment/bench.mjs': {
    // Not the pure-JavaScript cpu backend: its one training step takes minutes.
    flags: () => ['--backends', 'native,wasm', '--batch', '16', '--seconds', '0.3', '--steps', '1'],
    prints: [new RegExp(`augmentation\\s+${n} ms .* images/s`), new RegExp(`augmentation / step: ${n}% wall`)],
  },
  'tools/bench/data/bench.mjs': {
    flags: () => ['--images', '40', '--rounds', '1'],
    prints: [new RegExp(`\\| sharp bare loop \\(reference\\) \\| ${n} \\|`), new RegExp(`median: ${n}× wall clock`)],
  },
  'tools/bench/transfer-distill/bench.mjs': {
    flags: (dir) => ['--seeds', '0', '--source-per-class', '20', '--source-epochs', '1', '--epochs', '1', '--distill-epochs', '1', '--unlabelled-per-class', '10', '--test-per-class', '10', '--work', dir],
    prints: ['scratch', 'linear-probe', 'fine-tune', 'student', 'distilled'].map((m) => new RegExp(`^${m}\\s+\\|\\s+${n}% ±\\s+${n}`, 'm')),
    needs: ['fashion'],
  },
  'tools/bench/semi-supervised/bench.mjs': {
    flags: (dir) => ['--seeds', '0', '--scale', '0.03', '--train-limit', '1000', '--test-limit', '100', '--out', join(dir, 'results.jsonl')],
    prints: ['supervised', 'supervised-augmented', 'pseudo-label', 'noisy-student', 'fixmatch'].map((m) => new RegExp(`^\\| ${m} \\| 0 \\| ${n} ± ${n} \\|`, 'm')),
    files: ['results.jsonl'],
    needs: ['fashion'],
  },
  'tools/bench/distributed/run.mjs': {
    flags: (dir) => ['--images', '64', '--size', '16', '--batch', '16', '--shard', '32', '--width', '0.25', '--dir', dir],
    prints: [new RegExp(`queue, 1 worker\\s+${n} images/s = ${n}× one process; file identical`), new RegExp(`queue, 2 workers\\s+${n} images/s = ${n}× one process; file identical`), /Redis: memory per queued label job/],
    needs: ['redis'],
  },
  'tools/bench/distributed/pretext.mjs': {
    flags: (dir) => ['--images', '64', '--size', '16', '--batch', '16', '--dir', dir],
    prints: [new RegExp(`streamed / in-memory: wall, CPU, peak memory\\s+${n}, ${n}, ${n}`)],
  },
  'tools/bench/active-learning/bench.mjs': {
    flags: (dir) => ['--seeds', '0', '--methods', 'random,typical', '--count', '10', '--steps', '20', '--images', '600', '--work', dir, '--out', join(dir, 'results.jsonl')],
    prints: [new RegExp(`seed 0: 100 labels -> ${n}%`), new RegExp(`random: \\+10 \\(.*\\) -> ${n}%`), new RegExp(`typical: \\+10 \\(.*\\) -> ${n}%`)],
    files: ['results.jsonl'],
    needs: ['fashion'],
  },
  'tools/bench/active-learning/cold-start.mjs': {
    flags: (dir) => ['--seeds', '0', '--count', '100', '--steps', '20', '--pretext-epochs', '1', '--images', '600', '--folder', join(dir, 'fashion-mnist'), '--work', dir, '--out', join(dir, 'results.jsonl')],
    prints: ['balanced', 'random', 'typical'].flatMap((c) => ['scratch', 'pretext'].map((s) => new RegExp(`seed 0 ${c} \\(.*\\) from ${s}: ${n}%`))),
    files: ['results.jsonl'],
    needs: ['fashion'],
  },
};

/** The `node tools/bench/…` lines of the README's shell blocks, without their comments. */
function readmeCommands() {
  const readme = readFileSync(join(repo, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) => block.split('\n')).map((line) => line.replace(/#.*/, '').trim()).filter((line) => line.startsWith('node tools/bench/'));
}

const commands = readmeCommands();

describe("the README's benchmark commands, at small sizes", () => {
  it('finds them, each with its quick flags here', () => {
    expect(commands.length).toBeGreaterThan(5);
    const scripts = commands.map((command) => command.split(/\s+/)[1]);
    expect(scripts.filter((script) => !quick[script]), 'README benchmark commands without quick flags in this test').toEqual([]);
  });

  for (const command of commands) {
    const [, script, ...args] = command.split(/\s+/);
    const setup = quick[script];
    if (!setup) continue;
    const missing = (setup.needs ?? []).map((need) => needs[need]()).find(Boolean);
    if (missing) {
      // Skipped only where the machine lacks what the benchmark measures against or reads (PyTorch,
      // Fashion-MNIST, redis-server), and said so in the title; .ci/run installs all three.
      it.skip(`${command}: SKIPPED, ${missing}`, () => {});
      continue;
    }
    it(command, () => {
      const dir = mkdtempSync(join(work, 'run-'));
      const run = atRoot(script, [...args, ...setup.flags(dir)]);
      const output = `${run.stdout}\n${run.stderr}`;
      expect(run.status, output).toBe(0);
      expect(output, 'a failed measurement is printed as a row; none may fail').not.toMatch(/ exited \d|Error:/);
      for (const pattern of setup.prints) expect(run.stdout, `${command} prints ${pattern}`).toMatch(pattern);
      for (const file of setup.files ?? []) expect(existsSync(join(dir, file)), `${command} writes ${file}`).toBe(true);
    });
  }
});

/** `node SCRIPT ARGS` (or python3 for a .py script) at the repository root; its output, after asserting exit 0. */
function run(script, ...args) {
  const r = atRoot(script, args);
  expect(r.status, `${script} ${args.join(' ')}\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r.stdout;
}

const parityMissing = needs.torch() ?? needs.fashion();
const semi = 'tools/bench/semi-supervised';

// The parity section of the semi-supervised README: its scripts, on a FixMatch recipe cut to a few
// dozen steps. The two checks compare Frugal with the PyTorch reference within their tolerances.
// Skipped, and said so in the title, only without PyTorch or Fashion-MNIST, which .ci/run installs.
describe.skipIf(parityMissing)(`the semi-supervised README's parity commands, at small sizes${parityMissing ? ` (SKIPPED: ${parityMissing})` : ''}`, () => {
  const dir = mkdtempSync(join(work, 'parity-'));
  const recipe = join(dir, 'recipe-fixmatch-scale0.01.json');

  it('names the scripts this test runs', () => {
    const readme = readFileSync(join(repo, semi, 'README.md'), 'utf8');
    for (const script of ['export-split.mjs', 'bench.mjs', 'torch_reference.py', 'summarize.mjs --parity', 'check-augment-ops.mjs', 'check_augment_ops.py', 'check-step-parity.mjs', 'check_step_parity.py']) {
      expect(readme).toContain(`${semi}/${script}`);
    }
  });

  it('trains the same steps in Frugal and in PyTorch on one split, and tables them side by side', () => {
    run(`${semi}/export-split.mjs`, '--seeds', '0', '--methods', 'fixmatch', '--scale', '0.01', '--out-dir', dir);
    run(`${semi}/bench.mjs`, '--methods', 'fixmatch', '--scale', '0.01', '--seeds', '0', '--out', join(dir, 'frugal.jsonl'));
    run(`${semi}/torch_reference.py`, '--recipe', recipe, '--split', join(dir, 'split-fashion-mnist-10pc-seed0.json'), '--seed', '0', '--out', join(dir, 'torch.jsonl'));
    const table = run(`${semi}/summarize.mjs`, '--parity', join(dir, 'frugal.jsonl'), join(dir, 'torch.jsonl'));
    expect(table).toMatch(new RegExp(`^\\| fashion-mnist \\| 0\\.01 \\| fixmatch \\| \\d+ \\| 0 / 0 \\| ${n} ± ${n} \\| ${n} ± ${n} \\|`, 'm'));
  });

  it('applies the augmentation ops as the reference does', () => {
    run(`${semi}/check-augment-ops.mjs`, '--out', join(dir, 'augment-ops.json'));
    expect(run(`${semi}/check_augment_ops.py`, join(dir, 'augment-ops.json'))).toMatch(/largest difference .* \(tolerance/);
  });

  it('takes the same FixMatch training steps as the reference, from the same weights and batches', () => {
    run(`${semi}/check-step-parity.mjs`, '--recipe', recipe, '--out', join(dir, 'step-parity.json'));
    expect(run(`${semi}/check_step_parity.py`, join(dir, 'step-parity.json'))).toMatch(/mean loss: torch [\d.]+, frugal [\d.]+/);
  });
});

// The semi-supervised README's tables that its committed result files print: each command the
// README quotes as printing a table is run as written, and every row it prints is a row of the README.
describe("the semi-supervised README's tables, from its result files", () => {
  const readme = readFileSync(join(repo, semi, 'README.md'), 'utf8');
  const commands = [...readme.matchAll(/`(node tools\/bench\/semi-supervised\/summarize\.mjs [^`]*results\/[^`]*)`\s+prints (?:this table|its rows)/g)].map((m) => m[1]);
  const rows = new Set(readme.split('\n').filter((line) => line.startsWith('| ')));

  it('finds the commands', () => expect(commands.length).toBeGreaterThanOrEqual(2));

  for (const command of commands) {
    it(command, () => {
      const r = spawnSync('sh', ['-c', command], { cwd: repo, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      const printed = r.stdout.split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| dataset |') && !line.startsWith('| method |'));
      expect(printed.length).toBeGreaterThan(2);
      for (const row of printed) expect(rows.has(row), `the README holds the row\n${row}`).toBe(true);
      if (command.includes('--parity')) {
        // What the README says of them: no method more than 2 points below PyTorch at the same steps.
        for (const row of printed) expect(Number(row.split('|').at(-2).trim().replace('−', '-')), row).toBeGreaterThanOrEqual(-2);
      }
    });
  }
});

// Every benchmark command the READMEs show (the root one and each benchmark's), too many and too
// long to run here: its script exists, and takes each flag the command gives it.
describe("the READMEs' benchmark command lines", () => {
  const pages = ['README.md', ...readdirSync(join(repo, 'tools', 'bench'), { withFileTypes: true }).filter((d) => d.isDirectory() && existsSync(join(repo, 'tools', 'bench', d.name, 'README.md'))).map((d) => join('tools', 'bench', d.name, 'README.md'))];
  const lines = pages.flatMap((page) =>
    [...readFileSync(join(repo, page), 'utf8').replace(/\\\n\s*/g, ' ').matchAll(/(?:node|python3) (tools\/bench\/[\w/.-]+\.(?:mjs|py))([^\n`#|]*)/g)].map((m) => ({ page, script: m[1], flags: m[2].match(/(?<=\s|^)--[a-z][\w-]*/g) ?? [] })),
  );

  it('name scripts that exist, with flags each script takes', () => {
    expect(lines.length).toBeGreaterThan(50);
    for (const { page, script, flags } of lines) {
      expect(existsSync(join(repo, script)), `${page}: ${script}`).toBe(true);
      const source = readFileSync(join(repo, script), 'utf8');
      for (const flag of flags) {
        const name = flag.slice(2);
        // A parseArgs option (`name: {` or `'name-with-dashes': {`), an argparse argument, or a flag read from process.argv.
        const takes = script.endsWith('.py') ? source.includes(`'${flag}'`) || source.includes(`"${flag}"`) : new RegExp(`(^|[\\s{,])(${name}|'${name}'):\\s*\\{`, 'm').test(source) || source.includes(`'${flag}'`);
        expect(takes, `${page}: ${script} ${flag}`).toBe(true);
      }
    }
  });
});
