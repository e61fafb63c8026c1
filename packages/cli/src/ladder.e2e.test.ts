import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frugalAsync, frugalSync, requireBuiltCli } from './testing/e2e.js';
import { guideSection } from './testing/guide.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-ladder-'));
const example = join(import.meta.dirname, '..', '..', '..', 'docs', 'examples', 'recipes', 'ladder.yaml');
beforeAll(requireBuiltCli);
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface LadderJson {
  seeds: number[];
  rungs: { rung: string; seeds: number; accuracy: { mean: number; sd: number }; gain?: { mean: number; sd: number }; labels: number; unlabelled: number }[];
}
interface TeacherJson {
  type: string;
  path?: string;
  members?: TeacherJson[];
}
/** Two rungs that do not wait for each other (one starts fresh), then their ensemble teaching one; `init` for the first rung. */
function ensembleLadder(name = 'ensemble.yaml', init?: string): string {
  const file = join(root, name);
  writeFileSync(
    file,
    [
      'seed: 0',
      'data: { dataset: mnist, labelledPerClass: 5, params: { testPerClass: 10 } }',
      `model: { name: resnet8, params: { widthMultiplier: 0.25 }${init ? `, init: ${init}` : ''} }`,
      'train: { epochs: 4, batchSize: 10, optimizer: { name: adam, lr: 0.01 } }',
      'rungs:',
      '  - name: shifted',
      '    augment: [{ op: pad-crop, padding: 2 }]',
      '  - name: plain',
      '    start: fresh',
      '  - name: ensemble',
      '    start: shifted',
      '    teacher: [shifted, plain]',
      '    strategy: { name: distill, params: { temperature: 1, unlabelledLimit: 100 } }',
      '    train: { epochs: 1 }',
      '',
    ].join('\n'),
  );
  return file;
}
const recipeOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'recipe.json'), 'utf8')) as { model: { init?: string }; strategy: { params: { teacher?: TeacherJson } } };

describe('frugal ladder (the binary)', () => {
  it('climbs the docs\' example ladder over two seeds side by side, each rung from the one above, with the gains and their spread', () => {
    const out = join(root, 'two-seeds');
    const r = frugalSync(['ladder', example, '--seeds', '0-1', '--jobs', '2', '--run-dir', out], root);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const ladder = JSON.parse(readFileSync(join(out, 'ladder.json'), 'utf8')) as LadderJson;
    expect(ladder.seeds).toEqual([0, 1]);
    expect(ladder.rungs.map((x) => x.rung)).toEqual(['augmentation', 'transfer', 'fixmatch', 'distillation']);
    for (const rung of ladder.rungs) {
      expect(rung.seeds).toBe(2);
      expect(rung.labels).toBe(100);
      expect(rung.accuracy.mean).toBeGreaterThan(0.3);
    }
    expect(ladder.rungs[0]?.gain).toBeUndefined();
    expect(ladder.rungs.map((x) => x.unlabelled)).toEqual([0, 9700, 9700, 9700]);
    // the table: accuracy ± sd, and each rung's gain over the one below
    expect(r.stdout).toMatch(/^transfer\s+\d+\.\d ± \d+\.\d%\s+[+−]\d+\.\d ± \d+\.\d\s+100\s+9700/m);
    for (const seed of [0, 1]) {
      const dir = join(out, `seed-${seed}`);
      expect(recipeOf(join(dir, '1-augmentation')).model.init).toBeUndefined();
      expect(recipeOf(join(dir, '3-transfer')).model.init).toBe(join(dir, '2-rotation-source', 'model'));
      expect(recipeOf(join(dir, '4-fixmatch')).model.init).toBe(join(dir, '3-transfer', 'model'));
      expect(recipeOf(join(dir, '5-distillation')).model.init).toBeUndefined();
      expect(recipeOf(join(dir, '5-distillation')).strategy.params.teacher?.path).toBe(join(dir, '4-fixmatch', 'model'));
    }
    // a rung's time includes the preparation rungs it builds on: the transfer rung, the rotation pretext's
    const { runs } = ladder as LadderJson & { runs: { rung: string; seed: number; seconds: number }[] };
    const secondsOf = (dir: string) => (JSON.parse(readFileSync(join(out, 'seed-0', dir, 'summary.json'), 'utf8')) as { seconds: number }).seconds;
    expect(runs.find((x) => x.rung === 'transfer' && x.seed === 0)?.seconds).toBeCloseTo(secondsOf('2-rotation-source') + secondsOf('3-transfer'), 6);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(existsSync(join(out, 'ladder.png'))).toBe(true);
    const again = frugalSync(['ladder', example, '--seeds', '0-1', '--run-dir', out], root);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`frugal: ${out} already holds a ladder; pass --force to climb it again there, or choose another --run-dir`);
  }, 300_000);

  it('runs the recipes guide\'s commands as written ("Fields from the command line"): a recipe, and the docs\' example ladder with a field of one rung set', () => {
    const { commands } = guideSection('recipes', 'Fields from the command line');
    expect(commands.map((c) => c[0])).toEqual(['train', 'ladder']);
    // The guide's files: recipe.yaml is the recipe its page opens with, ladder.yaml the docs' example ladder.
    const here = join(root, 'guide-fields');
    mkdirSync(here);
    copyFileSync(join(dirname(example), 'digits.yaml'), join(here, 'recipe.yaml'));
    copyFileSync(example, join(here, 'ladder.yaml'));
    const [train, r] = commands.map((command) => frugalSync(command, here));
    expect(train?.code, train?.stderr).toBe(0);
    const short = JSON.parse(readFileSync(join(here, 'runs', 'short', 'recipe.json'), 'utf8')) as { seed: number; train: { epochs: number } };
    expect([short.seed, short.train.epochs]).toEqual([1, 5]);
    expect(r?.code, r?.stderr).toBe(0);
    const out = join(here, 'runs', 'ladder-short');
    const epochs = (dir: string) => (JSON.parse(readFileSync(join(out, dir, 'recipe.json'), 'utf8')) as { train: { epochs: number } }).train.epochs;
    // The shared field reaches the rungs that leave it to the shared part; the others keep their own.
    expect([epochs('1-augmentation'), epochs('3-transfer'), epochs('5-distillation')]).toEqual([3, 3, 2]);
    expect([epochs('2-rotation-source'), epochs('4-fixmatch')]).toEqual([2, 3]);
  }, 300_000);

  it('continues a climb stopped by Ctrl-C with --resume: the finished rungs kept, the interrupted one from its checkpoint, to the numbers of a climb never stopped', async () => {
    // Shorter rungs than the file's: the recipes guide's --set flags. The climb never stopped is the
    // guide's, which the test above climbed; the climbs below stop, resume and start it again.
    const guideLadder = guideSection('recipes', 'Fields from the command line').commands[1] ?? [];
    const quick = guideLadder.filter((arg, i) => arg === '--set' || guideLadder[i - 1] === '--set');
    expect(quick).toHaveLength(4);
    const straight = join(root, 'guide-fields', 'runs', 'ladder-short');
    expect(existsSync(join(straight, 'ladder.json')), 'the guide\'s climb of the test above').toBe(true);

    const stopped = join(root, 'stopped');
    const climb = frugalAsync(['ladder', example, ...quick, '--run-dir', stopped], root);
    while (!climb.stderr().includes('== fixmatch')) await new Promise((r) => setTimeout(r, 50));
    climb.child.kill('SIGINT');
    const interrupted = await climb.done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toContain(`Interrupted: the rungs that finished are kept in ${stopped}. To continue, run the same command with --resume.`);
    expect(existsSync(join(stopped, 'ladder.json'))).toBe(false);

    const again = frugalSync(['ladder', example, ...quick, '--run-dir', stopped], root);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toMatch(/holds a climb that did not finish \(augmentation, rotation-source, transfer(, fixmatch)? began there\); continue it with --resume/);

    const resumed = frugalSync(['ladder', example, ...quick, '--run-dir', stopped, '--resume'], root);
    expect(resumed.code).toBe(0);
    for (const rung of ['augmentation', 'rotation-source', 'transfer']) expect(resumed.stderr).toContain(`== ${rung}: kept from the earlier climb`);
    const rows = (dir: string) => (JSON.parse(readFileSync(join(dir, 'ladder.json'), 'utf8')) as LadderJson).rungs.map((r) => [r.rung, r.accuracy.mean]);
    expect(rows(stopped)).toEqual(rows(straight));
    for (const rung of ['4-fixmatch', '5-distillation']) {
      expect(readFileSync(join(stopped, rung, 'model', 'weights.bin')).equals(readFileSync(join(straight, rung, 'model', 'weights.bin'))), rung).toBe(true);
    }

    const finished = frugalSync(['ladder', example, ...quick, '--run-dir', stopped, '--resume'], root);
    expect(finished.code).toBe(2);
    expect(finished.stderr.trim()).toBe(`frugal: ${stopped} holds a finished ladder (its ladder.json): there is nothing to resume; pass --force to climb it again`);
    // Resumed with another rung than the one its run was trained from: refused before anything trains.
    rmSync(join(stopped, 'ladder.json'));
    const other = frugalSync(['ladder', example, ...quick, '--run-dir', stopped, '--resume', '--set', 'rungs.fixmatch.train.epochs=1'], root);
    expect(other.code).toBe(2);
    expect(other.stderr.trim()).toBe(
      `frugal: ${example} rung "fixmatch": ${join(stopped, '4-fixmatch')} holds a run of another recipe (the ladder file or its flags changed since that climb); ` +
        'climb with the same file and flags to resume, or pass --force to climb it again',
    );
    // Resumed with other seeds: it would start over beside the climb of one seed; refused.
    const seeds = frugalSync(['ladder', example, ...quick, '--run-dir', stopped, '--resume', '--seeds', '0-1'], root);
    expect(seeds.code).toBe(2);
    expect(seeds.stderr.trim()).toBe(
      `frugal: ${stopped} holds the climb of one seed, and --seeds gives 2; resume it with the --seeds it was climbed with, or climb these seeds in another --run-dir`,
    );
    // --force clears the unfinished climb's runs, and climbs again.
    const over = frugalSync(['ladder', example, ...quick, '--run-dir', stopped, '--force', '--set', 'rungs.fixmatch.train.epochs=1'], root);
    expect(over.code).toBe(0);
    expect((JSON.parse(readFileSync(join(stopped, '4-fixmatch', 'recipe.json'), 'utf8')) as { train: { epochs: number } }).train.epochs).toBe(1);
  }, 300_000);

  it('with --jobs 2, stops every rung at its next step on Ctrl-C, and --resume ends where the climb never stopped ends', async () => {
    const reference = join(root, 'two-seeds');
    expect(existsSync(join(reference, 'ladder.json')), 'the two seeds\' climb of the first test').toBe(true);
    const stopped = join(root, 'two-seeds-stopped');
    const climb = frugalAsync(['ladder', example, '--seeds', '0-1', '--jobs', '2', '--run-dir', stopped], root);
    // Once the FixMatch rung of seed 0 has its network (3 epochs of 10 steps follow).
    while (!climb.stderr().includes('[fixmatch (seed 0)] Started resnet8')) await new Promise((r) => setTimeout(r, 20));
    climb.child.kill('SIGINT');
    expect((await climb.done).code).toBe(130);
    // The rung stopped at a step within an epoch, with a checkpoint there (the epochs' own come at their ends).
    const latest = JSON.parse(readFileSync(join(stopped, 'seed-0', '4-fixmatch', 'checkpoints', 'latest.json'), 'utf8')) as { checkpoint: string };
    expect(Number(/step-(\d+)$/.exec(latest.checkpoint)?.[1]) % 10).not.toBe(0);

    const resumed = frugalSync(['ladder', example, '--seeds', '0-1', '--jobs', '2', '--run-dir', stopped, '--resume'], root);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain('== fixmatch (seed 0) started: from the transfer network, on the unlabelled digits too, resumed from its last checkpoint');
    for (const rung of ['seed-0/4-fixmatch', 'seed-0/5-distillation', 'seed-1/4-fixmatch', 'seed-1/5-distillation']) {
      expect(readFileSync(join(stopped, rung, 'model', 'weights.bin')).equals(readFileSync(join(reference, rung, 'model', 'weights.bin'))), rung).toBe(true);
    }
  }, 240_000);

  it('teaches a rung with an ensemble of two rungs above it', () => {
    const file = ensembleLadder();
    const out = join(root, 'ensemble');
    const r = frugalSync(['ladder', file, '--run-dir', out], root);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    expect(recipeOf(join(out, '3-ensemble')).strategy.params.teacher).toEqual({
      type: 'ensemble',
      members: [join(out, '1-shifted', 'model'), join(out, '2-plain', 'model')].map((path) => ({ type: 'saved-model', path })),
    });
    expect(r.stdout).toMatch(/^ensemble\s+\d+\.\d%/m);
    const summary = JSON.parse(readFileSync(join(out, '3-ensemble', 'summary.json'), 'utf8')) as { details?: { teacher?: string } };
    expect(summary.details?.teacher).toMatch(/^an ensemble of 2 \(saved model .*1-shifted.*; saved model .*2-plain/);
  }, 120_000);

  it('with --jobs 2 trains the rungs and seeds that do not wait for each other side by side, to the numbers one thread gives one rung after another', () => {
    const file = ensembleLadder();
    const together = join(root, 'jobs-2');
    const r = frugalSync(['ladder', file, '--seeds', '0-1', '--jobs', '2', '--run-dir', together], root);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    // the log: the second rung starts fresh, so it starts before the first is done
    expect(r.stderr.indexOf('== plain (seed 0) started')).toBeLessThan(r.stderr.indexOf('shifted (seed 0): test accuracy'));
    expect(r.stderr.indexOf('== ensemble (seed 0) started')).toBeGreaterThan(r.stderr.indexOf('plain (seed 0): test accuracy'));
    expect(r.stderr).toMatch(/^ {3}\[ensemble \(seed 1\)\] Distilling an ensemble of 2/m);
    expect(r.stderr).toMatch(/^ {3}\[plain \(seed 1\)\] epoch 4\/4 {2}loss \d/m);
    const apart = join(root, 'jobs-1');
    expect(frugalSync(['--threads', '1', 'ladder', file, '--seeds', '0-1', '--run-dir', apart], root).code).toBe(0);
    const ladderOf = (dir: string) => JSON.parse(readFileSync(join(dir, 'ladder.json'), 'utf8')) as LadderJson & { runs: unknown[] };
    expect(ladderOf(together).runs).toHaveLength(6);
    expect(ladderOf(together).runs).toEqual(ladderOf(apart).runs.map((run) => ({ ...(run as object), seconds: expect.any(Number) })));
    for (const seed of [0, 1]) {
      for (const rung of ['1-shifted', '2-plain', '3-ensemble']) {
        const weights = (dir: string) => readFileSync(join(dir, `seed-${seed}`, rung, 'model', 'weights.bin'));
        expect(weights(together).equals(weights(apart)), `seed ${seed} ${rung}`).toBe(true);
      }
    }
    expect(readFileSync(join(together, 'report.html'), 'utf8')).toMatch(/rungs at once.*2/s);
  }, 180_000);

  it('with --jobs, stops at a rung\'s bad input with exit 2 and its one line, and refuses a --jobs that is no count', () => {
    const file = ensembleLadder('bad-init.yaml', join(root, 'no-such-run'));
    const r = frugalSync(['ladder', file, '--jobs', '2', '--run-dir', join(root, 'bad-init')], root);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(`frugal: model.init: no saved model at "${join(root, 'no-such-run')}" (no model.json there or in its model/ folder). Give a run directory or the folder holding model.json and weights.bin`);
    expect(existsSync(join(root, 'bad-init', '3-ensemble'))).toBe(false);
    const zero = frugalSync(['ladder', file, '--jobs', '0'], root);
    expect(zero.code).toBe(2);
    expect(zero.stderr.trim()).toBe('frugal: --jobs 0: give a whole number of rungs to train at once, from 1 to 64 (e.g. --jobs 2)');
  }, 60_000);

  it('refuses a rung that starts from no rung above it, and a ladder without rungs, with exit 2 and one line', () => {
    const bad = join(root, 'bad.yaml');
    writeFileSync(bad, 'data: { dataset: mnist }\nmodel: { name: resnet8 }\nrungs:\n  - name: one\n  - name: two\n    start: three\n');
    const r = frugalSync(['ladder', bad, '--run-dir', join(root, 'bad')], root);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe(`frugal: ${bad}: rung "two" start: "three" is not the name of a rung above it; give "fresh", "previous" or the name of an earlier rung`);
    writeFileSync(bad, 'data: { dataset: mnist }\nmodel: { name: resnet8 }\nrungs:\n  - name: one\n  - name: two\n    teacher: one\n');
    const taught = frugalSync(['ladder', bad, '--run-dir', join(root, 'bad')], root);
    expect(taught.code).toBe(2);
    expect(taught.stderr.trim()).toBe(`frugal: ${bad} rung "two": teacher names the rungs whose models teach this one, for a strategy that takes a teacher (distill); strategy "supervised" takes none: set strategy: { name: distill }, or leave teacher out`);
    writeFileSync(bad, 'data: { dataset: mnist }\nmodel: { name: resnet8 }\n');
    const none = frugalSync(['ladder', bad, '--run-dir', join(root, 'bad')], root);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(`frugal: ${bad} is a recipe without rungs, not a ladder: train it with frugal train ${bad}, or add rungs (a list of them: name, and what each changes)`);
    // The ladder's own fields are named as the ladder's, not as its first rung's.
    writeFileSync(bad, 'data: { dataset: mnist }\nmodel: { name: resnet8 }\nbogus: 1\nrungs:\n  - name: one\n');
    expect(frugalSync(['ladder', bad], root).stderr.trim()).toBe(`frugal: ${bad}: unknown key "bogus"; it takes name, seed, backend, threads, precision, plugins, data, model, augment, strategy, train, callbacks, output; remove or correct it`);
    writeFileSync(bad, 'data: { dataset: mnist }\nmodel: { name: resnet8 }\nrungs:\n  - name: one\n');
    expect(frugalSync(['ladder', bad, '--set', 'seed=-1'], root).stderr.trim()).toBe(`frugal: ${bad}: seed: got -1; expected number to be >=0`);
    expect(frugalSync(['ladder', example, '--seeds', '2-1'], root).stderr.trim()).toBe('frugal: --seeds must list whole numbers ≥ 0 and ranges such as 0,1,2 or 0-9, got "2-1"');
    expect(frugalSync(['ladder', example, '--seeds', '0-100000000'], root).stderr.trim()).toBe('frugal: --seeds: the range 0-100000000 holds 100000001 seeds; a range may hold at most 1,000');
    // A seed past 2^53 never counted up (it hung), and an empty list acted as none.
    expect(frugalSync(['ladder', example, '--seeds', '99999999999999999999'], root).stderr.trim()).toBe(
      `frugal: --seeds: seed 99999999999999999999 is larger than a seed may be (${Number.MAX_SAFE_INTEGER}); give smaller seeds`,
    );
    expect(frugalSync(['ladder', example, '--seeds', ''], root).stderr.trim()).toBe('frugal: --seeds: got an empty value; give one, or leave the flag out');
  });
});

describe('frugal demo (the binary)', () => {
  it('climbs the demo ladder, quick, with the seed given, and prints what each rung bought', () => {
    const out = join(root, 'demo');
    const r = frugalSync(['demo', '--quick', '--seed', '1', '--run-dir', out], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^rung\s+test accuracy\s+gain \(points\)\s+labels used\s+unlabelled used\s+wall time$/m);
    for (const rung of ['supervised', 'augmentation', 'transfer', 'fixmatch', 'distillation']) expect(r.stdout).toMatch(new RegExp(`^${rung}\\s+\\d+\\.\\d%`, 'm'));
    expect(existsSync(join(out, '3-rotation-source', 'model', 'model.json'))).toBe(true);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    expect(JSON.parse(readFileSync(join(out, '5-fixmatch', 'recipe.json'), 'utf8')).seed).toBe(1);
  }, 120_000);
});
