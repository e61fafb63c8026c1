// Trains the bench's ResNet-8 for a few steps with Frugal's training loop (trainLoop: SGD with the
// recipe's settings, per-step cosine rate, weight EMA) on fixed batches of Fashion-MNIST images, and
// writes the initial weights, the batches, the per-step losses, the final (EMA) weights and the
// final model's inference logits as JSON. check_step_parity.py loads the same initial weights into
// torch_reference.py's network, runs the same steps, and reports the differences. Each step is a
// FixMatch step built from @frugal/semi-supervised's parts (self-adaptive threshold, pseudo-label
// targets, row cross-entropy) as its strategy composes them, without augmentation: a training-mode
// forward of 32 unlabelled images gives the pseudo-labels, then 32 labelled + those 32 images train.
//   node tools/bench/semi-supervised/check-step-parity.mjs --backend native --out runs/parity/step-parity.json
//   /usr/bin/python3 tools/bench/semi-supervised/check_step_parity.py runs/parity/step-parity.json
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, imageBatch, normalize, oneHotTargets, softCrossEntropy, trainConfig, trainLoop } from '@frugal/core';
import { loadFashionMnist } from '@frugal/data';
import { SelfAdaptiveThreshold, fixMatchTargets, rowCrossEntropy, selfAdaptiveGate } from '@frugal/semi-supervised';
import { useBackend } from '@frugal/runtime-gpu';
import { resnet8 } from './models.mjs';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'auto' },
    recipe: { type: 'string', default: 'runs/parity/recipe-fixmatch-scale0.25.json' },
    steps: { type: 'string', default: '4' },
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
const config = trainConfig({ ...recipe.train, epochs: 1, checkpointEvery: 1000 });
const gate = selfAdaptiveGate(new SelfAdaptiveThreshold(10, recipe.strategy.params.thresholdMomentum));
const thresholds = [];
const stepLosses = [];
const pseudoLabels = [];
const maskRates = [];
const { history } = await trainLoop({
  model,
  data,
  config,
  rng: new Rng(0),
  // FixMatch's prepare: the unlabelled images' training-mode forward pass -> thresholds -> targets.
  prepare: (batch) => {
    const unlabelled = tf.slice(batch.x, [batchSize], [batchSize]);
    const weakLogits = model.apply(normalize(unlabelled, norm), { training: true });
    thresholds.push(gate.update(tf.softmax(weakLogits)));
    pseudoLabels.push(Array.from(tf.argMax(weakLogits, -1).dataSync()));
    const { targets, maskRate } = fixMatchTargets(weakLogits, gate);
    maskRates.push(maskRate.dataSync()[0]);
    return { x: batch.x.clone(), y: tf.concat([batch.y, targets]) };
  },
  // FixMatch's loss: CE of the labelled rows + mean masked CE of the unlabelled rows.
  loss: (batch) => {
    const logits = model.apply(normalize(batch.x, norm), { training: true });
    const supervised = softCrossEntropy(tf.slice(logits, [0, 0], [batchSize, 10]), tf.slice(batch.y, [0, 0], [batchSize, 10]));
    const consistency = tf.mean(rowCrossEntropy(tf.slice(logits, [batchSize, 0], [batchSize, 10]), tf.slice(batch.y, [batchSize, 0], [batchSize, 10])));
    return tf.add(supervised, consistency);
  },
  callbacks: [{ name: 'step-losses', onStepEnd: (_state, logs) => void stepLosses.push(logs.loss) }],
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
    thresholds,
    stepLosses,
    pseudoLabels,
    maskRates,
    thresholdMomentum: recipe.strategy.params.thresholdMomentum,
    logits: Array.from(logits.dataSync()),
  }),
);
tf.dispose([evalX, logits]);
console.log(`${args.out}: ${steps} steps on ${device.backend}, mean loss ${history[0]?.loss}`);
