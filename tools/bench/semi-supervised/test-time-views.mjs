// A trained run's test accuracy when each test image is also seen flipped or shifted by a pixel:
// the mean log-probability of the views decides the class.
//   node tools/bench/semi-supervised/test-time-views.mjs RUN_DIR [--backend native]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { imageBatch, metricsFromLogits, normalize } from '@frugal/core';
import { loadRunModel } from '@frugal/cli';
import { runData } from './run-data.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { backend: { type: 'string', default: 'native' } } });
const [runDir] = positionals;
if (!runDir) throw new Error('usage: test-time-views.mjs RUN_DIR [--backend native]');
const { data } = await runData(runDir, values.backend);
const { model, card } = await loadRunModel(runDir);

/** A one-pixel shift of an NHWC batch along `axis` (1: rows, 2: columns), the edge filled with 0. */
function shift(x, axis, by) {
  const padding = [[0, 0], [0, 0], [0, 0], [0, 0]];
  padding[axis] = by > 0 ? [1, 0] : [0, 1];
  const begin = [0, 0, 0, 0];
  begin[axis] = by > 0 ? 0 : 1;
  return tf.slice(tf.pad(x, padding), begin, x.shape);
}
const views = {
  image: (x) => x,
  flipped: (x) => tf.reverse(x, 2),
  'down 1': (x) => shift(x, 1, 1),
  'up 1': (x) => shift(x, 1, -1),
  'right 1': (x) => shift(x, 2, 1),
  'left 1': (x) => shift(x, 2, -1),
};

const set = data.test;
const n = set.labels.length;
const classes = data.classNames.length;
const logProbabilities = {};
for (const [name, view] of Object.entries(views)) {
  const out = new Float32Array(n * classes);
  for (let start = 0; start < n; start += 500) {
    const indices = Array.from({ length: Math.min(500, n - start) }, (_, i) => start + i);
    const y = tf.tidy(() => tf.logSoftmax(model.predict(normalize(view(imageBatch(set, indices)), card.normalization))));
    out.set(await y.data(), start * classes);
    y.dispose();
  }
  logProbabilities[name] = out;
}

const labels = new Int32Array(set.labels);
for (const names of [['image'], ['flipped'], ['image', 'flipped'], Object.keys(views)]) {
  const mean = new Float32Array(n * classes);
  for (const name of names) logProbabilities[name].forEach((v, i) => (mean[i] += v / names.length));
  const { accuracy } = metricsFromLogits(mean, labels, data.classNames);
  console.log(`${names.join(' + ')}: ${(100 * accuracy).toFixed(2)}%`);
}
