// RandAugment(2, 9) + flip + CIFAR crop on batches of 128 32×32×3 images: images/s on each backend,
// and its share of one ResNet-20 training step on the same batch, measured in the same process.
//   npx nx run-many -t build -p @frugal/augment @frugal/models-resnet @frugal/runtime-gpu
//   nice node tools/bench/augment/bench.mjs [--backends native,wasm,cpu] [--batch 128] [--seconds 5] [--steps 2]
import { parseArgs } from 'node:util';
import os from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { createFrugal, Rng } from '@frugal/core';
import { augment, buildPipeline } from '@frugal/augment';
import { resnet } from '@frugal/models-resnet';
import { useBackend } from '@frugal/runtime-gpu';

const { values: args } = parseArgs({
  options: {
    backends: { type: 'string', default: 'native,wasm,cpu' },
    batch: { type: 'string', default: '128' },
    seconds: { type: 'string', default: '5' },
    steps: { type: 'string', default: '2' },
    'warmup-steps': { type: 'string', default: '1' },
    'no-train': { type: 'boolean', default: false },
    'no-parts': { type: 'boolean', default: false },
  },
});
const batchSize = Number(args.batch);
const seconds = Number(args.seconds);
const trainSteps = Number(args.steps);
const warmupSteps = Number(args['warmup-steps']);

const PIPELINE = [{ op: 'pad-crop', padding: 4 }, { op: 'flip', p: 0.5 }, { op: 'rand-augment', n: 2, m: 9 }];
const PARTS = {
  'pad-crop': [PIPELINE[0]],
  flip: [PIPELINE[1]],
  'rand-augment(2, 9)': [PIPELINE[2]],
};

/** Photo-like images: smooth gradients plus noise, values in [0, 1]. */
function images(n) {
  return tf.tidy(() => {
    const ramp = tf.linspace(0, 1, 32);
    const rows = tf.reshape(ramp, [1, 32, 1, 1]);
    const cols = tf.reshape(ramp, [1, 1, 32, 1]);
    const tint = tf.randomUniform([n, 1, 1, 3], 0.2, 0.8, 'float32', 1);
    const base = tf.mul(tf.add(tf.mul(rows, 0.5), tf.mul(cols, 0.5)), tint);
    return tf.clipByValue(tf.add(base, tf.randomNormal([n, 32, 32, 3], 0, 0.08, 'float32', 2)), 0, 1);
  });
}

/**
 * Milliseconds per call of `fn` after warm-up, over about `budget` seconds: wall clock, and CPU time
 * of the process (which other load on a shared machine disturbs far less).
 */
function time(fn, { budget = seconds, warmup = 2, minCalls = 3 } = {}) {
  for (let i = 0; i < warmup; i++) fn(-1 - i);
  let calls = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (calls < minCalls || performance.now() - start < budget * 1000) fn(calls++);
  const cpu = process.cpuUsage(cpuStart);
  return { wall: (performance.now() - start) / calls, cpu: (cpu.user + cpu.system) / 1000 / calls };
}

const ms = ({ wall, cpu }) => `${wall.toFixed(1)} ms (${cpu.toFixed(1)} ms CPU)`;

function augmentationMs(frugal, specs, x) {
  const pipeline = buildPipeline(frugal, specs);
  const before = tf.memory().numTensors;
  const ms = time((i) => {
    const out = pipeline.apply(x, new Rng(`batch-${i}`));
    out.dataSync();
    out.dispose();
  });
  const leaked = tf.memory().numTensors - before;
  if (leaked !== 0) throw new Error(`${JSON.stringify(specs)} left ${leaked} tensors alive`);
  return ms;
}

function trainStepMs(frugal, x) {
  const { model } = frugal.models.create('resnet20', { numClasses: 10, inputShape: [32, 32, 3] });
  const labels = tf.tidy(() => tf.cast(tf.oneHot(tf.randomUniform([x.shape[0]], 0, 10, 'int32', 3), 10), 'float32'));
  const optimizer = tf.train.momentum(0.05, 0.9);
  const ms = time(
    () => {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(labels, model.apply(x, { training: true })), true);
      loss.dataSync();
      loss.dispose();
    },
    { budget: 0, warmup: warmupSteps, minCalls: trainSteps },
  );
  optimizer.dispose();
  labels.dispose();
  model.dispose();
  return ms;
}

const results = [];
console.log(`load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.availableParallelism()} CPUs; batch ${batchSize}`);
for (const backend of args.backends.split(',')) {
  const report = await useBackend(backend).catch((error) => console.log(`${backend}: skipped (${error.message})`));
  if (!report) continue;
  const frugal = createFrugal({ plugins: [augment(), resnet()], seed: 1 });
  const x = images(batchSize);
  const row = { backend, tfjsBackend: report.tfjsBackend, threads: report.threads };
  row.augmentMs = augmentationMs(frugal, PIPELINE, x);
  row.augmentImagesPerS = (batchSize * 1000) / row.augmentMs.wall;
  row.augmentImagesPerCpuS = (batchSize * 1000) / row.augmentMs.cpu;
  if (!args['no-parts']) row.parts = Object.fromEntries(Object.entries(PARTS).map(([name, specs]) => [name, augmentationMs(frugal, specs, x)]));
  console.log(`${backend} (${row.threads ?? 1} thread${row.threads > 1 ? 's' : ''}):`);
  console.log(`  augmentation   ${ms(row.augmentMs)} per batch = ${row.augmentImagesPerS.toFixed(0)} images/s (${row.augmentImagesPerCpuS.toFixed(0)} per CPU-second)`);
  for (const [name, part] of Object.entries(row.parts ?? {})) console.log(`    ${name.padEnd(20)} ${ms(part)}`);
  if (!args['no-train']) {
    row.trainStepMs = trainStepMs(frugal, x);
    row.share = row.augmentMs.wall / row.trainStepMs.wall;
    row.cpuShare = row.augmentMs.cpu / row.trainStepMs.cpu;
  }
  x.dispose();
  results.push(row);
  if (row.trainStepMs) {
    console.log(`  ResNet-20 step ${ms(row.trainStepMs)}`);
    console.log(`  augmentation / step: ${(100 * row.share).toFixed(2)}% wall, ${(100 * row.cpuShare).toFixed(2)}% CPU (target <= 10%)`);
  }
}
console.log(JSON.stringify(results));
