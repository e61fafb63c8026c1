// Trains the bench's ResNet-8 for a few steps with Frugal's training loop (trainLoop: SGD with the
// recipe's settings, per-step cosine rate, weight EMA) on fixed batches of Fashion-MNIST images, and
// writes the initial weights, the batches, the per-step losses, the final (EMA) weights and the
// final model's inference logits as JSON. check_step_parity.py loads the same initial weights into
// torch_reference.py's network, runs the same steps, and reports the differences. Each step runs a
// FixMatch-like prepare pass (a training-mode forward of other images, which moves BatchNorm's
// statistics) and a loss on two slices of the batch, as FixMatch's does.
//   node tools/bench/semi-supervised/check-step-parity.mjs --backend native --out runs/parity/step-parity.json
//   /usr/bin/python3 tools/bench/semi-supervised/check_step_parity.py runs/parity/step-parity.json
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, imageBatch, normalize, oneHotTargets, softCrossEntropy, trainConfig, trainLoop } from '@frugal/core';
import { loadFashionMnist } from '@frugal/data';
import { useBackend } from '@frugal/runtime-gpu';
import { resnet8 } from './models.mjs';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'auto' },
    recipe: { type: 'string', default: 'runs/parity/recipe-fixmatch-scale0.25.json' },
    steps: { type: 'string', default: '20' },
    out: { type: 'string', default: 'runs/parity/step-parity.json' },
  },
});
const device = await useBackend(args.backend);
const { recipe } = JSON.parse(readFileSync(args.recipe, 'utf8'));
const { train } = await loadFashionMnist({ download: false });
const norm = { mean: [0.286], std: [0.353] };
const steps = Number(args.steps);
const batchSize = 32;
const { model } = resnet8({ numClasses: 10, inputShape: [28, 28, 1], width: 0.5, dropout: 0, stochasticDepthRate: 0 }, new Rng(7));
const dump = () => Object.fromEntries(model.weights.map((w) => [w.name, { shape: w.shape, values: Array.from(w.read().dataSync()) }]));
const initial = dump();

const indices = (s, offset) => Int32Array.from({ length: batchSize }, (_, i) => (offset + s * batchSize + i) * 13);
const batches = Array.from({ length: steps }, (_, s) => ({ x: indices(s, 0), extra: indices(s, 1000) }));
const data = {
  stepsPerEpoch: steps,
  *batches() {
    for (const b of batches) {
      const x = tf.tidy(() => tf.concat([imageBatch(train, b.x), imageBatch(train, b.extra)]));
      yield { x, y: oneHotTargets(Array.from(b.x, (j) => train.labels[j]), 10) };
    }
  },
};
const half = batchSize / 2;
const config = trainConfig({ ...recipe.train, epochs: 1, checkpointEvery: 1000 });
const { history } = await trainLoop({
  model,
  data,
  config,
  rng: new Rng(0),
  // FixMatch's prepare: a training-mode forward of other images (their BatchNorm statistics count).
  prepare: (batch) => {
    tf.tidy(() => model.apply(normalize(tf.slice(batch.x, [batchSize], [batchSize]), norm), { training: true }));
    return { x: tf.slice(batch.x, [0], [batchSize]), y: batch.y.clone() };
  },
  loss: (batch) => {
    const logits = model.apply(normalize(batch.x, norm), { training: true });
    const a = softCrossEntropy(tf.slice(logits, [0, 0], [half, 10]), tf.slice(batch.y, [0, 0], [half, 10]));
    const rowsCe = tf.neg(tf.sum(tf.mul(tf.slice(batch.y, [half, 0], [half, 10]), tf.logSoftmax(tf.slice(logits, [half, 0], [half, 10]))), -1));
    return tf.add(a, tf.mean(rowsCe));
  },
  callbacks: [],
  log: () => {},
});
const evalX = normalize(imageBatch(train, Int32Array.from({ length: 64 }, (_, i) => 50000 + i)), norm);
const logits = model.predict(evalX);
writeFileSync(
  args.out,
  JSON.stringify({
    backend: device.backend,
    train: config,
    normalization: norm,
    batches: batches.map((b) => ({ x: Array.from(b.x), extra: Array.from(b.extra) })),
    labels: batches.map((b) => Array.from(b.x, (j) => train.labels[j])),
    evalIndices: Array.from({ length: 64 }, (_, i) => 50000 + i),
    initial,
    final: dump(),
    loss: history[0]?.loss,
    logits: Array.from(logits.dataSync()),
  }),
);
tf.dispose([evalX, logits]);
console.log(`${args.out}: ${steps} steps on ${device.backend}, mean loss ${history[0]?.loss}`);
