import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalSync, oneCleanLine, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';
import { guideSection } from './testing/guide.js';

// The few-labels guide's loop: a folder with a few images labelled in a CSV file, a model trained
// on them, frugal suggest choosing the next images to label, a person filling in their classes,
// and the model trained again on both files.
const root = mkdtempSync(join(tmpdir(), 'frugal-suggest-'));
const labelled = ['left-0.png', 'middle-0.png', 'right-0.png'];

beforeAll(async () => {
  requireBuiltCli();
  await writeBarsFolder(join(root, 'by-class'), 8, 4);
  await writeBarsFolder(join(root, 'test'), 3, 9);
  mkdirSync(join(root, 'shots'), { recursive: true });
  for (const name of readdirSync(join(root, 'by-class'))) {
    for (const image of readdirSync(join(root, 'by-class', name))) copyFileSync(join(root, 'by-class', name, image), join(root, 'shots', `${name}-${image}`));
  }
  writeFileSync(join(root, 'labels.csv'), `file,class\n${labelled.map((f) => `${f},${f.split('-')[0]}`).join('\n')}\n`);
  const r = frugalSync(['train', recipe('shots', ['labels.csv'])], root);
  if (r.code !== 0) throw new Error(r.stderr);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function recipe(name: string, labels: string[]): string {
  const base = barsRecipe(root, 2, { name }) as { data: { params: Record<string, unknown> } };
  const params = { ...base.data.params, dir: join(root, 'shots'), labels: labels.length === 1 ? labels[0] : labels };
  writeFileSync(join(root, `${name}.json`), JSON.stringify({ ...base, data: { dataset: 'image-folder', params }, strategy: { name: 'supervised' } }));
  return `${name}.json`;
}

/** The rows of a suggestions file: [file, class, predicted, confidence]. */
const rows = (file: string) => readFileSync(join(root, file), 'utf8').trim().split('\n').map((line) => line.split(','));

describe('frugal suggest (the binary)', () => {
  it('writes the images to label next as a labels file to fill in: unlabelled ones, each once, the guess beside them', () => {
    const r = frugalSync(['suggest', 'runs/shots', '--count', '5', '--out', 'to-label.csv'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('Chose 5 of 21 unlabelled images (typical) into to-label.csv: fill in each "class", then train on it beside the labels you have (data.params.labels)');
    const [header, ...body] = rows('to-label.csv');
    expect(header).toEqual(['file', 'class', 'predicted', 'confidence']);
    expect(body).toHaveLength(5);
    expect(new Set(body.map((row) => row[0])).size).toBe(5);
    for (const [file, cls, predicted, confidence] of body) {
      expect(readdirSync(join(root, 'shots'))).toContain(file);
      expect(labelled).not.toContain(file);
      expect(cls).toBe('');
      expect(['left', 'middle', 'right']).toContain(predicted);
      expect(Number(confidence)).toBeGreaterThan(0.33);
    }
    // The same run and seed choose the same images; every method chooses from the same candidates.
    expect(frugalSync(['suggest', 'runs/shots', '--count', '5', '--out', 'again.csv'], root).code).toBe(0);
    expect(readFileSync(join(root, 'again.csv'), 'utf8')).toBe(readFileSync(join(root, 'to-label.csv'), 'utf8'));
    for (const by of ['margin', 'diverse-margin', 'entropy', 'random']) {
      const m = frugalSync(['--json', 'suggest', 'runs/shots', '--count', '3', '--by', by, '--out', `${by}.csv`], root);
      expect(m.code, m.stderr).toBe(0);
      const json = JSON.parse(m.stdout) as { method: string; candidates: number; suggestions: { file: string }[] };
      expect([json.method, json.candidates, json.suggestions.length]).toEqual([by, 21, 3]);
      expect(rows(`${by}.csv`).slice(1).map((row) => row[0])).toEqual(json.suggestions.map((s) => s.file));
    }
  });

  it('trains again on both files once the classes are filled in: the chosen images labelled, no longer unlabelled', () => {
    const filled = rows('to-label.csv').slice(1).map(([file]) => `${file},${file!.split('-')[0]}`);
    writeFileSync(join(root, 'labelled-2.csv'), `file,class\n${filled.join('\n')}\n`);
    const r = frugalSync(['train', recipe('round-2', ['labels.csv', 'labelled-2.csv'])], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`on 8 labelled images (+16 unlabelled in ${join(root, 'shots')}, which this strategy does not read)`);
    const again = frugalSync(['suggest', 'runs/round-2', '--count', '30', '--out', 'round-3.csv'], root);
    expect(again.stdout).toContain('Chose 16 of 16 unlabelled images');
    const chosen = rows('round-3.csv').slice(1).map(([file]) => file);
    for (const file of [...labelled, ...filled.map((line) => line.split(',')[0])]) expect(chosen).not.toContain(file);
  });

  it('names the images of an unlabelledDir by their path in it, to be moved into class folders', () => {
    const params = { dir: join(root, 'by-class'), unlabelledDir: join(root, 'shots'), size: 12, color: 'grayscale' };
    writeFileSync(join(root, 'with-unlabelled.json'), JSON.stringify({ ...barsRecipe(root, 1, { name: 'with-unlabelled' }), data: { dataset: 'image-folder', params } }));
    expect(frugalSync(['train', 'with-unlabelled.json'], root).code).toBe(0);
    const r = frugalSync(['suggest', 'runs/with-unlabelled', '--count', '2', '--out', 'move.csv'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Chose 2 of 24 unlabelled images (typical) into move.csv: fill in each "class", then move each image of ${join(root, 'shots')} it names into its class folder, and train again`);
    for (const [file] of rows('move.csv').slice(1)) expect(readdirSync(join(root, 'shots'))).toContain(file);
  });

  it('refuses an image labelled in both files, naming both lines', () => {
    writeFileSync(join(root, 'twice.csv'), 'file,class\nleft-1.png,left\nleft-0.png,left\n');
    const r = frugalSync(['train', recipe('twice', ['labels.csv', 'twice.csv'])], root);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain('twice.csv line 3: "left-0.png" is labelled twice (also at labels.csv line 2)');
  });

  it('runs the guide\'s command as it is written ("Which images to label next")', () => {
    const { commands } = guideSection('few-labels', 'Which images to label next');
    expect(commands).toHaveLength(1);
    const here = join(root, 'guide');
    mkdirSync(join(here, 'runs'), { recursive: true });
    symlinkSync(join(root, 'runs', 'shots'), join(here, 'runs', 'shots'));
    symlinkSync(join(root, 'labels.csv'), join(here, 'labels.csv')); // the run's recipe names it relative to where it trained
    const r = frugalSync(commands[0]!, here);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(rows(join('guide', 'to-label.csv')).length).toBeGreaterThan(1);
  });

  it('gives exit 2 and one line for a filled-in file in the way, a run without unlabelled images and bad flags', () => {
    const cases: [string[], string][] = [
      [['suggest', 'runs/shots', '--count', '5', '--out', 'to-label.csv'], 'frugal: to-label.csv exists (it may hold labels someone typed); give another --out, or move it away'],
      [['suggest', 'runs/shots', '--count', '0', '--out', 'x.csv'], 'frugal: --count must be a whole number from 1 to 1,000,000, got "0"'],
      [['suggest', 'runs/shots', '--count', '5', '--by', 'vibes', '--out', 'x.csv'], 'frugal: --by must be one of typical, margin, diverse-margin, entropy, random, got "vibes"'],
      [['suggest', 'runs/shots', '--count', '5', '--by', 'margn', '--out', 'x.csv'], 'frugal: --by must be one of typical, margin, diverse-margin, entropy, random, got "margn"; did you mean "margin"?'],
      [['suggest', 'runs/shots', '--count', '5', '--seed', 'x', '--out', 'x.csv'], 'frugal: --seed must be a whole number ≥ 0, as a recipe\'s seed is, got "x"'],
      [['suggest', 'runs/shots', '--count', '5', '--seed', '-1', '--out', 'x.csv'], 'frugal: --seed must be a whole number ≥ 0, as a recipe\'s seed is, got "-1"'],
      [['suggest', 'runs/shots', '--count', '5', '--out', 'x.txt'], 'frugal: --out x.txt: the suggestions are a CSV labels file; give a name ending in .csv'],
      [['suggest', 'runs/nothing', '--count', '5', '--out', 'x.csv'], 'frugal: runs/nothing does not exist; give the run directory `frugal train` wrote'],
      [['suggest', 'shots', '--count', '5', '--out', 'x.csv'], 'frugal: shots is not a run directory (it has no recipe.json)'],
    ];
    const typed = readFileSync(join(root, 'to-label.csv'), 'utf8');
    for (const [args, line] of cases) {
      const r = frugalSync(args, root);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneCleanLine(r.stderr)).toBe(true);
      expect(r.stderr).toContain(line);
    }
    expect(readFileSync(join(root, 'to-label.csv'), 'utf8')).toBe(typed);
    // A run on class folders alone has no unlabelled image to choose from.
    writeFileSync(join(root, 'classes.json'), JSON.stringify({ ...barsRecipe(root, 1, { name: 'classes' }), data: { dataset: 'image-folder', params: { dir: join(root, 'by-class'), size: 12, color: 'grayscale' } } }));
    expect(frugalSync(['train', 'classes.json'], root).code).toBe(0);
    const r = frugalSync(['suggest', 'runs/classes', '--count', '5', '--out', 'x.csv'], root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('frugal: The run\'s dataset "image-folder" has no unlabelled folder to choose from; train on image-folder with labels');
    expect(readdirSync(root)).not.toContain('x.csv');
  });
});

describe('frugal suggest on a pretext run (the first labels)', () => {
  const pretext = (name: string, strategy: Record<string, unknown>) => {
    const params = { dir: join(root, 'shots'), size: 12, color: 'grayscale', resize: 'exact' };
    const base = barsRecipe(root, 1, { name, augment: [{ op: 'flip', p: 0.5 }] });
    writeFileSync(join(root, `${name}.json`), JSON.stringify({ ...base, data: { dataset: 'unlabelled-folder', params }, strategy }));
    return frugalSync(['train', `${name}.json`], root);
  };

  it('trains a pretext on a folder without labels, and refuses a strategy that learns from labels there', () => {
    const r = pretext('first-pretext', { name: 'contrastive-pretext', params: { projectionDim: 8 } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`with strategy "contrastive-pretext" on 24 images (24 read from ${join(root, 'shots')} in batches), whose labels it does not read`);
    expect(r.stdout).toContain('No test accuracy: the data has no test images (0 labelled for training)');
    const refused = pretext('first-supervised', { name: 'supervised' });
    expect(refused.code).toBe(2);
    expect(oneCleanLine(refused.stderr)).toBe(true);
    expect(refused.stderr).toContain(
      'frugal: Dataset "unlabelled-folder" has no labelled images, and strategy "supervised" learns from labels; label some (an image-folder with class folders or a labels file), ' +
        'or run a strategy that reads none first (contrastive-pretext, rotation-pretext) and let `frugal suggest` choose which to label',
    );
  });

  it('chooses the first images to label from its features, with no guess beside them', () => {
    const r = frugalSync(['suggest', 'runs/first-pretext', '--count', '6', '--out', 'first.csv'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(
      `Chose 6 of 24 unlabelled images (typical) into first.csv: fill in each "class", then train on it as the labels file of an image-folder on ${join(root, 'shots')} (data.params.labels)`,
    );
    const body = rows('first.csv').slice(1);
    expect(body).toHaveLength(6);
    for (const [file, ...rest] of body) {
      expect(readdirSync(join(root, 'shots'))).toContain(file);
      expect(rest).toEqual(['', '', '']);
    }
    expect(frugalSync(['suggest', 'runs/first-pretext', '--count', '6', '--by', 'random', '--out', 'first-random.csv'], root).code).toBe(0);
    for (const by of ['margin', 'entropy', 'diverse-margin']) {
      const refused = frugalSync(['suggest', 'runs/first-pretext', '--count', '6', '--by', by, '--out', `first-${by}.csv`], root);
      expect(refused.code, by).toBe(2);
      expect(oneCleanLine(refused.stderr)).toBe(true);
      expect(refused.stderr).toContain(`frugal: Method "${by}" reads the model's class predictions, but this model's outputs are not the dataset's classes (a pretext task's network); choose with typical or random`);
      expect(readdirSync(root)).not.toContain(`first-${by}.csv`);
    }
  });

  it('refuses to predict, evaluate or label with the pretext network: its outputs are not classes', () => {
    const card = JSON.parse(readFileSync(join(root, 'runs/first-pretext/model/frugal.json'), 'utf8')) as { pretext?: string };
    expect(card.pretext).toBe('contrastive-pretext');
    const image = join('shots', readdirSync(join(root, 'shots'))[0]!);
    for (const args of [
      ['predict', 'runs/first-pretext', image],
      ['eval', 'runs/first-pretext'],
      ['eval', 'runs/first-pretext', '--data', 'shots'],
      ['label', '--teacher', 'runs/first-pretext', '--unlabelled', 'shots', '--out', 'pretext-labels.jsonl'],
    ]) {
      const refused = frugalSync(args, root);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(oneCleanLine(refused.stderr)).toBe(true);
      expect(refused.stderr).toContain(
        'frugal: runs/first-pretext holds a network trained on the pretext task "contrastive-pretext": its outputs are that task\'s, not classes of images. ' +
          "Start a classifier from it (model.init, or the transfer strategy's source) and use that run",
      );
    }
    expect(readdirSync(root)).not.toContain('pretext-labels.jsonl');
  });

  it('trains on the filled-in file, started from the pretext network', () => {
    const filled = rows('first.csv').slice(1).map(([file]) => `${file},${file!.split('-')[0]}`);
    writeFileSync(join(root, 'first-filled.csv'), `file,class\n${filled.join('\n')}\n`);
    const base = JSON.parse(readFileSync(join(root, recipe('first-labels', ['first-filled.csv'])), 'utf8')) as { model: object; data: { params: object } };
    // No test folder: six images chosen without labels need not cover its three classes.
    const { testDir: _testDir, ...params } = base.data.params as Record<string, unknown>;
    writeFileSync(join(root, 'first-labels.json'), JSON.stringify({ ...base, data: { ...base.data, params }, model: { ...base.model, init: 'runs/first-pretext/model' } }));
    const r = frugalSync(['train', 'first-labels.json'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`on 6 labelled images (+18 unlabelled in ${join(root, 'shots')}, which this strategy does not read)`);
  });

  it('finds a damaged image in the pretext\'s statistics pass, and in suggest as it reads (which measures nothing: the network has its statistics)', () => {
    const damaged = join(root, 'damaged-shots');
    mkdirSync(damaged);
    for (const image of readdirSync(join(root, 'shots')).slice(0, 12)) copyFileSync(join(root, 'shots', image), join(damaged, image));
    writeFileSync(join(damaged, 'broken.png'), 'not a png');
    const params = { dir: damaged, size: 12, color: 'grayscale', resize: 'exact', skipBadImages: true };
    const base = barsRecipe(root, 1, { name: 'damaged-pretext' });
    writeFileSync(join(root, 'damaged-pretext.json'), JSON.stringify({ ...base, data: { dataset: 'unlabelled-folder', params }, strategy: { name: 'rotation-pretext' } }));
    const trained = frugalSync(['train', 'damaged-pretext.json'], root);
    expect(trained.code, trained.stderr).toBe(0);
    // Said once (the report's preview reads the data again, silently), and not at all with --quiet.
    expect(trained.stderr.split('Skipped 1 unreadable image (skipBadImages)')).toHaveLength(2);
    const quiet = frugalSync(['-q', 'train', 'damaged-pretext.json', '--run-dir', 'runs/damaged-quiet'], root);
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
    const r = frugalSync(['suggest', 'runs/damaged-pretext', '--count', '4', '--out', 'damaged.csv'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Skipped image "broken\.png": it could not be decoded/);
    expect(r.stderr).not.toContain('Skipped 1 unreadable image');
    expect(r.stdout).toContain('Chose 4 of 12 unlabelled images (typical) into damaged.csv');

    // The run's folder, every image of it unreadable since: nothing to choose from, and no CSV.
    const unreadable = join(root, 'unreadable-shots');
    mkdirSync(unreadable);
    for (const image of ['a.png', 'b.png']) writeFileSync(join(unreadable, image), 'not a png');
    const run = join(root, 'runs', 'unreadable-pretext');
    cpSync(join(root, 'runs', 'damaged-pretext'), run, { recursive: true });
    const recipe = JSON.parse(readFileSync(join(run, 'recipe.json'), 'utf8'));
    writeFileSync(join(run, 'recipe.json'), JSON.stringify({ ...recipe, data: { ...recipe.data, params: { ...recipe.data.params, dir: unreadable } } }));
    const none = frugalSync(['suggest', run, '--count', '4', '--out', 'unreadable.csv'], root);
    expect(none.stderr).toMatch(/^frugal: Unlabelled image folder ".*unreadable-shots" has no readable images \(all 2 were skipped; "a\.png": .*\); put readable images/);
    expect(oneCleanLine(none.stderr), none.stderr).toBe(true);
    expect(none.code).toBe(2);
    expect(readdirSync(root)).not.toContain('unreadable.csv');
  });

  it("runs the guide's recipe and commands (\"The first labels\"), the recipe on a small folder", () => {
    const { commands, yaml: [yaml = ''] } = guideSection('few-labels', 'The first labels');
    const small = yaml.replace('size: 64', 'size: 12, color: grayscale').replace('epochs: 10, batchSize: 256', 'epochs: 1, batchSize: 8');
    expect(small).toContain('batchSize: 8');
    expect(small).toContain('size: 12');
    expect(commands).toHaveLength(2);
    const here = join(root, 'guide-first');
    mkdirSync(here, { recursive: true });
    symlinkSync(join(root, 'shots'), join(here, 'shots'));
    writeFileSync(join(here, 'pretext.yaml'), small);
    for (const command of commands) {
      const r = frugalSync(command, here);
      expect(r.code, `frugal ${command.join(' ')}\n${r.stderr}`).toBe(0);
    }
    expect(rows(join('guide-first', 'first-labels.csv'))).toHaveLength(25);
  });
});
