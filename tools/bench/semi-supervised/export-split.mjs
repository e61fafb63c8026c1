// Writes what torch_reference.py needs to mirror bench.mjs's runs: the labelled/unlabelled split of
// each seed (indices into the dataset's training set, the labelled ones in the run's order), checked
// against the run's own data preparation (prepareData), and each method's resolved recipe at a scale:
//   npx nx run-many -t build -p @frugal/core @frugal/data @frugal/augment @frugal/semi-supervised
//   node tools/bench/semi-supervised/export-split.mjs --seeds 0,1,2 --methods supervised,fixmatch --scale 0.25 --out-dir runs/parity
//   [--set strategy.params.unlabelledRatio=3 ...: the overrides bench.mjs is given]
// -> runs/parity/split-fashion-mnist-10pc-seed0.json ..., runs/parity/recipe-fixmatch-scale0.25.json ...
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFrugal, prepareData, Rng, splitLabelled, validateRecipe } from '@frugal/core';
import { data } from '@frugal/data';
import { augment } from '@frugal/augment';
import { semiSupervised } from '@frugal/semi-supervised';
import { benchModels } from './models.mjs';
import { applyOverrides, METHODS, recipeFor } from './recipes.mjs';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'fashion-mnist' },
    seeds: { type: 'string', default: '0,1,2' },
    'labelled-per-class': { type: 'string', default: '10' },
    methods: { type: 'string', default: METHODS.join(',') },
    scale: { type: 'string', default: '1' },
    'out-dir': { type: 'string', default: 'runs/parity' },
    /** Recipe overrides, `path=json`, as bench.mjs takes them (repeatable): the recipes written carry them. */
    set: { type: 'string', multiple: true, default: [] },
  },
});

const labelledPerClass = Number(args['labelled-per-class']);
mkdirSync(args['out-dir'], { recursive: true });
for (const seed of args.seeds.split(',').map(Number)) {
  const frugal = createFrugal({ plugins: [data(), augment(), semiSupervised(), benchModels()], seed });
  const recipe = validateRecipe(recipeFor('supervised', seed, { dataset: args.dataset, labelledPerClass, scale: 1 }), frugal);
  const prepared = await prepareData(frugal, recipe);
  const { train } = prepared.source;
  // The same split as the run's (runRecipe seeds it from the recipe's seed), on the training set with
  // each image's index as its origin, so that the subsets say which images they hold.
  const indexed = { ...train, origins: Array.from(train.labels, (_, i) => String(i)) };
  const split = splitLabelled(indexed, { labelledPerClass, rng: new Rng(recipe.seed).child('split') });
  const labelled = split.labelled.origins.map(Number);
  const unlabelled = split.unlabelled.origins.map(Number);
  const size = train.shape.reduce((a, b) => a * b, 1);
  labelled.forEach((j, i) => {
    const ours = train.pixels.subarray(j * size, (j + 1) * size);
    const run = prepared.labelled.pixels.subarray(i * size, (i + 1) * size);
    if (!ours.every((v, k) => v === run[k]) || train.labels[j] !== prepared.labelled.labels[i]) {
      throw new Error(`Labelled image ${i} (training index ${j}) differs from the run's labelled image ${i}`);
    }
  });
  if (unlabelled.length !== prepared.unlabelled.labels.length) throw new Error('The unlabelled set differs from the run\'s');
  const file = join(args['out-dir'], `split-${args.dataset}-${labelledPerClass}pc-seed${seed}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      dataset: args.dataset,
      seed,
      labelledPerClass,
      classNames: train.classNames,
      normalization: prepared.normalization,
      labelled,
      labels: labelled.map((j) => train.labels[j]),
      unlabelled,
    }),
  );
  console.log(`${file}: ${labelled.length} labelled, ${unlabelled.length} unlabelled`);
}

const frugal = createFrugal({ plugins: [data(), augment(), semiSupervised(), benchModels()], seed: 0 });
const scale = Number(args.scale);
for (const method of args.methods.split(',')) {
  const recipe = validateRecipe(applyOverrides(recipeFor(method, 0, { dataset: args.dataset, labelledPerClass, scale }), args.set), frugal);
  const file = join(args['out-dir'], `recipe-${method}-scale${args.scale}.json`);
  writeFileSync(file, `${JSON.stringify({ method, scale, recipe }, null, 2)}\n`);
  console.log(file);
}
