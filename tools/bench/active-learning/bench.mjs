// Which 100 images to label next? Fashion-MNIST written out as PNG files, a model trained on 10
// labelled images a class, then `frugal suggest` choosing 100 more by each method, the choices
// labelled from the dataset's own labels (the person), and a model trained again on all 200.
// Every step goes through the built CLI, as a user's would.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { createFrugal, Rng } from '@frugal/core';
import { data } from '@frugal/data';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(repo, 'packages', 'cli', 'dist', 'bin.js');
const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0,1,2' },
    methods: { type: 'string', default: 'random,margin,entropy,typical' },
    count: { type: 'string', default: '100' },
    'labelled-per-class': { type: 'string', default: '10' },
    steps: { type: 'string', default: '1000' },
    work: { type: 'string', default: 'runs/active-learning' },
    out: { type: 'string', default: 'runs/active-learning/results.jsonl' },
    backend: { type: 'string', default: 'native' },
    // Each 200-label set is trained this many times (seeds s, s + 1000, ...), and its accuracy is their mean.
    'train-seeds': { type: 'string', default: '1' },
  },
});
const work = path.resolve(args.work);
const folder = path.join(work, 'fashion-mnist');

/** Fashion-MNIST as PNG files: train/NNNNN.png (no classes in the layout) and test/<class>/NNNNN.png. */
async function writeFolder() {
  const frugal = await createFrugal({ plugins: [data()] });
  const source = await frugal.datasets.load('fashion-mnist', {});
  if (existsSync(path.join(folder, 'done'))) return source;
  const write = async (set, file) => {
    const size = 28 * 28;
    for (let i = 0; i < set.labels.length; i++) {
      const target = file(i, className(set, i));
      mkdirSync(path.dirname(target), { recursive: true });
      await sharp(Buffer.from(set.pixels.subarray(i * size, (i + 1) * size)), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(target);
    }
  };
  await write(source.train, (i) => path.join(folder, 'train', `${String(i).padStart(5, '0')}.png`));
  await write(source.test, (i, c) => path.join(folder, 'test', c, `${String(i).padStart(5, '0')}.png`));
  writeFileSync(path.join(folder, 'done'), '');
  return source;
}

const fileOf = (i) => `${String(i).padStart(5, '0')}.png`;
/** A class's name as a folder name ("T-shirt/top" holds a slash). */
const className = (set, i) => set.classNames[set.labels[i]].replace(/\//g, '-');
const csv = (rows) => `file,class\n${rows.map(([f, c]) => `${f},"${c}"`).join('\n')}\n`;

/** `perClass` images of each class, drawn with the seed. */
function firstLabels(train, perClass, seed) {
  const order = new Rng(`active-learning/${seed}`).permutation(train.labels.length);
  const taken = new Map();
  const rows = [];
  for (const i of order) {
    const c = className(train, i);
    if ((taken.get(c) ?? 0) >= perClass) continue;
    taken.set(c, (taken.get(c) ?? 0) + 1);
    rows.push([fileOf(i), c]);
  }
  return rows;
}

function recipe(seed, labels, labelled) {
  // The bench's supervised-augmented recipe: the same number of steps of 32 whatever the labels.
  const stepsPerEpoch = Math.ceil(labelled / 32);
  return {
    seed,
    data: { dataset: 'image-folder', params: { dir: path.join(folder, 'train'), labels, testDir: path.join(folder, 'test'), size: 28, color: 'grayscale' } },
    model: { name: 'resnet8', params: { widthMultiplier: 0.5 } },
    augment: [{ op: 'flip', p: 0.5 }, { op: 'pad-crop', padding: 2 }, { op: 'rand-augment', n: 2, m: 6, mstd: 101, fill: 0 }],
    train: {
      epochs: Math.ceil(Number(args.steps) / stepsPerEpoch),
      batchSize: 32,
      optimizer: { name: 'sgd', lr: 0.03, momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
      schedule: { name: 'cosine' },
      checkpointEvery: 100000,
    },
    strategy: { name: 'supervised' },
  };
}

function frugal(...argv) {
  return execFileSync(process.execPath, [bin, '--quiet', ...argv], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
}

function train(name, seed, labels, labelled) {
  const dir = path.join(work, name);
  const recipeFile = `${dir}.json`;
  writeFileSync(recipeFile, JSON.stringify(recipe(seed, labels, labelled), null, 2));
  const started = performance.now();
  if (!existsSync(path.join(dir, 'summary.json'))) frugal('train', recipeFile, '--run-dir', dir, '--backend', args.backend, '--force');
  const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'));
  return { dir, accuracy: summary.evaluation.accuracy, seconds: (performance.now() - started) / 1000 };
}

const source = await writeFolder();
const train0 = source.train;
mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
for (const seed of args.seeds.split(',').map(Number)) {
  const first = firstLabels(train0, Number(args['labelled-per-class']), seed);
  const firstFile = path.join(work, `labels-s${seed}.csv`);
  writeFileSync(firstFile, csv(first));
  const base = train(`first-s${seed}`, seed, firstFile, first.length);
  console.log(`seed ${seed}: ${first.length} labels -> ${(100 * base.accuracy).toFixed(1)}%`);
  for (const method of args.methods.split(',')) {
    const chosen = path.join(work, `suggest-s${seed}-${method}.csv`);
    const started = performance.now();
    if (!existsSync(chosen)) frugal('suggest', base.dir, '--count', args.count, '--by', method, '--out', chosen, '--backend', args.backend);
    const suggestSeconds = (performance.now() - started) / 1000;
    // The person: each suggested image gets its true class.
    const rows = readFileSync(chosen, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]);
    const labelled = rows.map((file) => [file, className(train0, Number(file.slice(0, 5)))]);
    const filled = path.join(work, `labelled-s${seed}-${method}.csv`);
    writeFileSync(filled, csv(labelled));
    const classes = new Set(labelled.map(([, c]) => c)).size;
    const perClass = [...new Set(first.map(([, c]) => c))].sort().map((c) => labelled.filter(([, k]) => k === c).length);
    const runs = Array.from({ length: Number(args['train-seeds']) }, (_, t) =>
      train(`second-s${seed}-${method}${t ? `-t${t}` : ''}`, seed + 1000 * t, [firstFile, filled], first.length + labelled.length),
    );
    const accuracies = runs.map((r) => r.accuracy);
    const next = { accuracy: accuracies.reduce((a, b) => a + b, 0) / runs.length, seconds: runs[runs.length - 1].seconds };
    const result = { seed, method, first: base.accuracy, accuracy: next.accuracy, accuracies, labels: first.length + labelled.length, classes, perClass, suggestSeconds, trainSeconds: next.seconds };
    appendFileSync(args.out, `${JSON.stringify(result)}\n`);
    console.log(`  ${method}: +${labelled.length} (${perClass.join('/')}) -> ${accuracies.map((a) => (100 * a).toFixed(1)).join(', ')}%  (suggest ${suggestSeconds.toFixed(0)} s, train ${next.seconds.toFixed(0)} s)`);
  }
}
