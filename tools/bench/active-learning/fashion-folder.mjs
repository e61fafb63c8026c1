// What both active-learning benchmarks share: Fashion-MNIST written out as PNG files, labels
// files, the bench's supervised recipe, and runs of the built CLI.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createFrugal, Rng } from '@frugal/core';
import { data } from '@frugal/data';

export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** The built CLI. */
export const bin = path.join(repo, 'packages', 'cli', 'dist', 'bin.js');

/** A class's name as a folder name ("T-shirt/top" holds a slash). */
export const className = (set, i) => set.classNames[set.labels[i]].replace(/\//g, '-');
/** Training image i's file name within `train/`. */
export const fileOf = (i) => `${String(i).padStart(5, '0')}.png`;
/** The class of the training image a `train/` file name holds (the person who fills in a suggestion). */
export const classOfFile = (set, file) => className(set, Number(file.slice(0, 5)));
/** A labels file of [file, class] rows. */
export const csv = (rows) => `file,class\n${rows.map(([f, c]) => `${f},"${c}"`).join('\n')}\n`;
/** The `file` column of a CSV that `frugal suggest` wrote. */
export const suggestedFiles = (file) => readFileSync(file, 'utf8').trim().split('\n').slice(1).map((line) => line.split(',')[0]);

/** `perClass` images of each class of `train`, drawn with the seed, as [file, class] rows. */
export function firstLabels(train, perClass, seed) {
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

/** The first `count` images of a Fashion-MNIST split (all of them without a count). */
function firstImages(set, count) {
  const n = Math.min(count ?? set.labels.length, set.labels.length);
  const size = set.pixels.length / set.labels.length;
  return { ...set, labels: set.labels.subarray(0, n), pixels: set.pixels.subarray(0, n * size) };
}

/**
 * Fashion-MNIST as PNG files under `folder`: train/NNNNN.png (no classes in the layout) and
 * test/<class>/NNNNN.png. Returns the dataset, whose labels play the person. `images` keeps the
 * first that many training images and a sixth as many test images (the dataset's proportion), for
 * a quick look; a folder written with another count is refused, not mixed.
 */
export async function writeFolder(folder, images) {
  const frugal = await createFrugal({ plugins: [data()] });
  const full = await frugal.datasets.load('fashion-mnist', {});
  const source = { ...full, train: firstImages(full.train, images), test: firstImages(full.test, images && Math.ceil(images / 6)) };
  const counts = JSON.stringify({ train: source.train.labels.length, test: source.test.labels.length });
  const done = path.join(folder, 'done');
  if (existsSync(done)) {
    const written = readFileSync(done, 'utf8').trim() || JSON.stringify({ train: full.train.labels.length, test: full.test.labels.length });
    if (written !== counts) throw new Error(`${folder} holds Fashion-MNIST images ${written}, not ${counts}; give another folder`);
    return source;
  }
  const write = async (set, file) => {
    const size = 28 * 28;
    for (let i = 0; i < set.labels.length; i++) {
      const target = file(i, className(set, i));
      mkdirSync(path.dirname(target), { recursive: true });
      await sharp(Buffer.from(set.pixels.subarray(i * size, (i + 1) * size)), { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(target);
    }
  };
  await write(source.train, (i) => path.join(folder, 'train', fileOf(i)));
  await write(source.test, (i, c) => path.join(folder, 'test', c, fileOf(i)));
  writeFileSync(done, counts);
  return source;
}

/**
 * The semi-supervised bench's supervised-augmented recipe on a labels file of the folder: 1,000
 * (`steps`) steps of 32 whatever the number of labels; `init` starts it from a network's weights.
 */
export function supervisedRecipe({ folder, seed, labels, labelled, steps, init }) {
  const stepsPerEpoch = Math.ceil(labelled / 32);
  return {
    seed,
    data: { dataset: 'image-folder', params: { dir: path.join(folder, 'train'), labels, testDir: path.join(folder, 'test'), size: 28, color: 'grayscale' } },
    model: { name: 'resnet8', params: { widthMultiplier: 0.5 }, ...(init ? { init } : {}) },
    augment: [{ op: 'flip', p: 0.5 }, { op: 'pad-crop', padding: 2 }, { op: 'rand-augment', n: 2, m: 6, mstd: 101, fill: 0 }],
    train: {
      epochs: Math.ceil(steps / stepsPerEpoch),
      batchSize: 32,
      optimizer: { name: 'sgd', lr: 0.03, momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
      schedule: { name: 'cosine' },
      checkpointEvery: 100000,
    },
    strategy: { name: 'supervised' },
  };
}

/** Runs the built CLI (quiet), giving its standard output. */
export function frugal(...argv) {
  return execFileSync(process.execPath, [bin, '--quiet', ...argv], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
}

/** `frugal train` of `recipe` into `dir` (unless it has run): its test accuracy and seconds. */
export function train(dir, recipe, backend) {
  const recipeFile = `${dir}.json`;
  writeFileSync(recipeFile, JSON.stringify(recipe, null, 2));
  const started = performance.now();
  if (!existsSync(path.join(dir, 'summary.json'))) frugal('train', recipeFile, '--run-dir', dir, '--backend', backend, '--force');
  const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8'));
  return { dir, accuracy: summary.evaluation?.accuracy, seconds: (performance.now() - started) / 1000 };
}
