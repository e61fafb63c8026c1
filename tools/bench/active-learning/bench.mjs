// Which 100 images to label next? Fashion-MNIST written out as PNG files, a model trained on 10
// labelled images a class, then `frugal suggest` choosing 100 more by each method, the choices
// labelled from the dataset's own labels (the person), and a model trained again on all 200.
// Every step goes through the built CLI, as a user's would.
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { classOfFile, csv, firstLabels, frugal, suggestedFiles, supervisedRecipe, train as trainRun, writeFolder } from './fashion-folder.mjs';

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
    // Only the first this many training images (and a sixth as many test images), for a quick look.
    images: { type: 'string' },
    // Each 200-label set is trained this many times (seeds s, s + 1000, ...), and its accuracy is their mean.
    'train-seeds': { type: 'string', default: '1' },
  },
});
const work = path.resolve(args.work);
const folder = path.join(work, 'fashion-mnist');

function train(name, seed, labels, labelled) {
  return trainRun(path.join(work, name), supervisedRecipe({ folder, seed, labels, labelled, steps: Number(args.steps) }), args.backend);
}

const source = await writeFolder(folder, args.images === undefined ? undefined : Number(args.images));
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
    const rows = suggestedFiles(chosen);
    const labelled = rows.map((file) => [file, classOfFile(train0, file)]);
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
