// A trained run's test accuracy before and after its batch norms' statistics are measured again on
// plain training images (PreciseBN, Wu & Johnson 2021): every batch norm's mean and variance become
// the average over `--batches` batches of `--batch-size` un-augmented images, forward in training
// mode, in place of the moving averages training left (which augmented views fed, FixMatch's strong
// ones among them). `--source` picks the images: unlabelled (default), labelled, or test (a check
// only: it reads the test images, so it is not a result).
//   node tools/bench/semi-supervised/precise-bn.mjs RUN_DIR [--backend native] [--batches 50] [--batch-size 200] [--source unlabelled]
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { evaluate, imageBatch, normalize } from '@frugal/core';
import { loadRunModel } from '@frugal/cli';
import { runData } from './run-data.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    backend: { type: 'string', default: 'native' },
    batches: { type: 'string', default: '50' },
    'batch-size': { type: 'string', default: '200' },
    source: { type: 'string', default: 'unlabelled' },
  },
});
const [runDir] = positionals;
if (!runDir) throw new Error('usage: precise-bn.mjs RUN_DIR [--backend native] [--batches 50] [--batch-size 200] [--source unlabelled|labelled|test]');
const { data } = await runData(runDir, values.backend);
const { model, card } = await loadRunModel(runDir);
const source = data[values.source];
if (!source) throw new Error(`--source: the run has no ${values.source} images; use unlabelled, labelled or test`);

/** The model's accuracy on the test images, as a run's final evaluation measures it. */
const testAccuracy = () => evaluate(model, data.test, { normalization: card.normalization }).accuracy;

console.log(`before: ${(100 * testAccuracy()).toFixed(2)}%`);
const norms = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
const momenta = norms.map((l) => l.momentum);
const count = Number(values.batches);
const size = Number(values['batch-size']);
for (const [name, n] of [['--batches', count], ['--batch-size', size]]) {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} ${n}: give a whole number ≥ 1`);
}
// Every 7919th image (a prime, so prime to the set's size unless it divides it): each batch spans
// the whole set, which the split keeps class by class.
const stride = source.labels.length % 7919 === 0 ? 1 : 7919;
for (let k = 0; k < count; k++) {
  // Batch k weighs 1/(k + 1) against the average so far: the moving statistics become the batches' mean.
  for (const l of norms) l.momentum = k / (k + 1);
  const indices = Array.from({ length: size }, (_, i) => ((k * size + i) * stride) % source.labels.length);
  tf.tidy(() => {
    model.apply(normalize(imageBatch(source, indices), card.normalization), { training: true });
  });
}
norms.forEach((l, i) => (l.momentum = momenta[i]));
console.log(`after ${count} batches of ${size} ${values.source} images: ${(100 * testAccuracy()).toFixed(2)}%`);
