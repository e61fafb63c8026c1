// Which images to label first, before any label exists? Fashion-MNIST's 60,000 training images
// as PNG files with no labels, a contrastive pretext trained on them (an unlabelled-folder), then
// `frugal suggest` on that run choosing the first 100 by `typical` or at random, the choices
// labelled from the dataset's own labels (the person), and a model trained on them: from scratch,
// and from the pretext network. Beside them, 10 images a class drawn with the labels known (what
// the semi-supervised benchmark's splits are, and what no one without labels can draw).
// Every step goes through the built CLI, as a user's would.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { classOfFile, className, csv, firstLabels, frugal, suggestedFiles, supervisedRecipe, train, writeFolder } from './fashion-folder.mjs';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0,1,2' },
    // `balanced` is 10 a class drawn with the labels known; the others are `frugal suggest --by` methods.
    choices: { type: 'string', default: 'balanced,random,typical' },
    starts: { type: 'string', default: 'scratch,pretext' },
    count: { type: 'string', default: '100' },
    steps: { type: 'string', default: '1000' },
    'pretext-epochs': { type: 'string', default: '10' },
    'train-seeds': { type: 'string', default: '1' },
    folder: { type: 'string', default: 'runs/active-learning/fashion-mnist' },
    work: { type: 'string', default: 'runs/cold-start' },
    out: { type: 'string', default: 'runs/cold-start/results.jsonl' },
    backend: { type: 'string', default: 'native' },
    // Only the first this many training images (and a sixth as many test images), for a quick look.
    images: { type: 'string' },
  },
});
const work = path.resolve(args.work);
const folder = path.resolve(args.folder);
const count = Number(args.count);

/** SimCLR on every training image, labels never read: the semi-supervised bench's 10-pass contrastive variant. */
const pretextRecipe = {
  seed: 0,
  data: { dataset: 'unlabelled-folder', params: { dir: path.join(folder, 'train'), size: 28, color: 'grayscale' } },
  model: { name: 'resnet8', params: { widthMultiplier: 0.5 } },
  augment: [
    { op: 'random-resized-crop', scale: [0.3, 1] },
    { op: 'flip', p: 0.5 },
    { op: 'rand-augment', n: 2, m: 9, mstd: 101, fill: 0 },
  ],
  train: {
    epochs: Number(args['pretext-epochs']),
    batchSize: 256,
    optimizer: { name: 'sgd', lr: 0.3, momentum: 0.9, nesterov: true, weightDecay: 5e-4 },
    schedule: { name: 'cosine' },
    checkpointEvery: 100000,
  },
  strategy: { name: 'contrastive-pretext', params: { temperature: 0.5 } },
};

const source = await writeFolder(folder, args.images === undefined ? undefined : Number(args.images));
const images = source.train;
mkdirSync(work, { recursive: true });
mkdirSync(path.dirname(path.resolve(args.out)), { recursive: true });
const pretext = train(path.join(work, 'pretext'), pretextRecipe, args.backend);
console.log(`pretext: ${pretext.seconds.toFixed(0)} s`);
const classes = [...new Set(Array.from(images.labels, (_, i) => className(images, i)))].sort();

for (const seed of args.seeds.split(',').map(Number)) {
  for (const choice of args.choices.split(',')) {
    const filled = path.join(work, `labelled-s${seed}-${choice}.csv`);
    let suggestSeconds;
    if (choice === 'balanced') {
      writeFileSync(filled, csv(firstLabels(images, count / classes.length, seed)));
    } else {
      const chosen = path.join(work, `suggest-s${seed}-${choice}.csv`);
      const started = performance.now();
      if (!existsSync(chosen)) frugal('suggest', pretext.dir, '--count', args.count, '--by', choice, '--seed', String(seed), '--out', chosen, '--backend', args.backend);
      suggestSeconds = (performance.now() - started) / 1000;
      // The person: each suggested image gets its true class.
      writeFileSync(filled, csv(suggestedFiles(chosen).map((file) => [file, classOfFile(images, file)])));
    }
    const files = suggestedFiles(filled);
    const perClass = classes.map((c) => files.filter((file) => classOfFile(images, file) === c).length);
    for (const start of args.starts.split(',')) {
      const init = start === 'pretext' ? path.join(pretext.dir, 'model') : undefined;
      const runs = Array.from({ length: Number(args['train-seeds']) }, (_, t) =>
        train(
          path.join(work, `${start}-s${seed}-${choice}${t ? `-t${t}` : ''}`),
          supervisedRecipe({ folder, seed: seed + 1000 * t, labels: filled, labelled: count, steps: Number(args.steps), init }),
          args.backend,
        ),
      );
      const accuracies = runs.map((r) => r.accuracy);
      const accuracy = accuracies.reduce((a, b) => a + b, 0) / runs.length;
      appendFileSync(args.out, `${JSON.stringify({ seed, choice, start, accuracy, accuracies, perClass, suggestSeconds, pretextSeconds: pretext.seconds })}\n`);
      console.log(`seed ${seed} ${choice} (${perClass.join('/')}) from ${start}: ${accuracies.map((a) => (100 * a).toFixed(1)).join(', ')}%`);
    }
  }
}
