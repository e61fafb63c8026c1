// Transfer learning and knowledge distillation with 10 labelled images per class, on real data:
// Fashion-MNIST classes 5-9 (the target) with a ResNet-8 pretrained on classes 0-4 (the source).
// (a) training from scratch vs linear-probe vs fine-tune of the pretrained backbone;
// (b) a smaller ResNet-8 (the student: a quarter of the channels, 1/4 of the parameters of the
//     half-width teacher) trained on the labelled images alone vs distilled from the fine-tuned
//     network of (a) (the teacher) on labelled + unlabelled target images.
// Test accuracy, mean ± sample standard deviation over seeds, and wall time, all in one process.
//   npx nx run-many -t build -p @frugal/transfer @frugal/distill @frugal/data @frugal/models-resnet @frugal/runtime-gpu
//   nice node tools/bench/transfer-distill/bench.mjs [--seeds 0,1,2] [--backend auto]
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFrugal, runRecipe, validateRecipe } from '@frugal/core';
import { distill } from '@frugal/distill';
import { resnet } from '@frugal/models-resnet';
import { useBackend } from '@frugal/runtime-gpu';
import { transfer } from '@frugal/transfer';
import { fashionClasses } from './fashion-classes.mjs';
import { METHODS, sourceRecipe, targetRecipe } from './recipes.mjs';

const { values: args } = parseArgs({
  options: {
    seeds: { type: 'string', default: '0,1,2' },
    methods: { type: 'string', default: METHODS.join(',') },
    backend: { type: 'string', default: 'auto' },
    /** Fashion-MNIST classes of the source and of the target task. */
    'source-classes': { type: 'string', default: '0,1,2,3,4' },
    'target-classes': { type: 'string', default: '5,6,7,8,9' },
    /** Source task: images per class and epochs. */
    'source-per-class': { type: 'string', default: '1500' },
    'source-epochs': { type: 'string', default: '2' },
    /** Width of the ResNet-8 of the source, scratch, transfer and teacher runs; and of the student. */
    width: { type: 'string', default: '0.5' },
    'student-width': { type: 'string', default: '0.25' },
    /** Target task: epochs over the 50 labelled images, and the distilled student's epochs. */
    epochs: { type: 'string', default: '40' },
    'distill-epochs': { type: 'string', default: '20' },
    'unlabelled-per-class': { type: 'string', default: '190' },
    'test-per-class': { type: 'string', default: '200' },
    /** Run directories go here; the source run is reused when present. */
    work: { type: 'string', default: join(os.tmpdir(), 'frugal-bench-transfer-distill') },
    /** One JSON line per run is appended here; default: results.jsonl in the work folder. */
    out: { type: 'string' },
  },
});

const plugins = () => [fashionClasses(), resnet(), transfer(), distill()];
const seeds = args.seeds.split(',').map(Number);
const methods = args.methods.split(',').map((m) => m.trim());
for (const m of methods) if (!METHODS.includes(m)) throw new Error(`Unknown method "${m}"; known: ${METHODS.join(', ')}`);
if (methods.includes('distilled') && !methods.includes('fine-tune')) throw new Error('"distilled" needs "fine-tune" (its teacher) in --methods');

const device = await useBackend(args.backend);
console.log(`backend ${device.backend} (${device.reason}); ${os.cpus().length} CPUs; load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
args.out ??= join(args.work, 'results.jsonl');
mkdirSync(dirname(args.out), { recursive: true });

async function run(name, raw, seed, runDir) {
  const frugal = createFrugal({ plugins: plugins(), seed });
  const started = performance.now();
  const result = await runRecipe(frugal, validateRecipe(raw, frugal), { runDir, force: true, quiet: true, log: () => undefined });
  const seconds = (performance.now() - started) / 1000;
  const accuracy = result.evaluation?.accuracy ?? NaN;
  const extra = result.result.details?.teacherAccuracy !== undefined ? ` (teacher ${(result.result.details.teacherAccuracy * 100).toFixed(2)}%)` : '';
  console.log(`${name.padEnd(13)} seed ${seed}: test accuracy ${(accuracy * 100).toFixed(2)}%${extra}, ${seconds.toFixed(1)} s`);
  return { accuracy, seconds };
}

// The source network, trained once (like downloaded pretrained weights) and reused.
const sourceDir = join(args.work, 'source');
const width = Number(args.width);
const classes = (list) => list.split(',').map(Number);
const sourceOptions = {
  sourceClasses: classes(args['source-classes']),
  sourcePerClass: Number(args['source-per-class']),
  sourceEpochs: Number(args['source-epochs']),
  width,
};
if (!existsSync(join(sourceDir, 'model', 'model.json'))) {
  const r = await run('source', sourceRecipe(sourceOptions), 1000, sourceDir);
  appendFileSync(args.out, `${JSON.stringify({ date: new Date().toISOString(), method: 'source', ...sourceOptions, ...r })}\n`);
} else {
  console.log(`source: reusing ${sourceDir}/model (delete it, or pass another --work, to retrain)`);
}

const options = {
  targetClasses: classes(args['target-classes']),
  unlabelledPerClass: Number(args['unlabelled-per-class']),
  testPerClass: Number(args['test-per-class']),
  epochs: Number(args.epochs),
  distillEpochs: Number(args['distill-epochs']),
  width,
  studentWidth: Number(args['student-width']),
  sourceModel: join(sourceDir, 'model'),
};
const results = Object.fromEntries(methods.map((m) => [m, []]));
for (const seed of seeds) {
  for (const method of methods) {
    const runDir = join(args.work, `seed-${seed}`, method);
    const raw = targetRecipe(method, seed, { ...options, teacherModel: join(args.work, `seed-${seed}`, 'fine-tune', 'model') });
    const r = await run(method, raw, seed, runDir);
    results[method].push(r);
    appendFileSync(args.out, `${JSON.stringify({ date: new Date().toISOString(), method, seed, ...options, backend: device.backend, ...r })}\n`);
  }
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const std = (xs) => (xs.length > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1)) : 0);
console.log(
  `\nFashion-MNIST classes ${options.targetClasses.join(',')} (source: ${sourceOptions.sourceClasses.join(',')}), 10 labelled images per class, ` +
    `seeds ${seeds.join(', ')} (test: ${options.testPerClass} per class)`,
);
// Each method against its baseline on the same seed (same labelled images): the paired difference.
const BASELINE = { 'linear-probe': 'scratch', 'fine-tune': 'scratch', distilled: 'student' };
console.log('method        | accuracy (mean ± sd) | min - max     | paired gain over baseline (mean ± sd) | seconds (mean)');
for (const [method, rs] of Object.entries(results)) {
  const acc = rs.map((r) => r.accuracy * 100);
  const baseline = results[BASELINE[method]];
  const gains = baseline ? acc.map((a, i) => a - baseline[i].accuracy * 100) : undefined;
  const gain = gains ? `${mean(gains) >= 0 ? '+' : ''}${mean(gains).toFixed(2)} ± ${std(gains).toFixed(2)} vs ${BASELINE[method]}` : '';
  console.log(
    `${method.padEnd(13)} | ${mean(acc).toFixed(2).padStart(6)}% ± ${std(acc).toFixed(2).padStart(5)}     | ` +
      `${Math.min(...acc).toFixed(2)} - ${Math.max(...acc).toFixed(2)} | ${gain.padEnd(37)} | ${mean(rs.map((r) => r.seconds)).toFixed(1)}`,
  );
}
