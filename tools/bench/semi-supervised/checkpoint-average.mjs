// What a run's last checkpoints give together: test accuracy of the mean of the last k checkpoints'
// weights (stochastic weight averaging, Izmailov et al. 2018, taken after the run: of the live
// weights, and of the run's EMA weights) and of the mean of their EMA networks' predictions (a
// snapshot ensemble). Every weight is averaged, batch norm's moving statistics too, as the EMA does.
// Train the run with `train.checkpointEvery` small and `train.keepCheckpoints` large enough to keep them.
//   node tools/bench/semi-supervised/checkpoint-average.mjs RUN_DIR [--backend native] [--last 2,3,4,6,8,12,18]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { checkpointNames, evaluate, imageBatch, normalize, readCheckpoint, restoreWeights } from '@frugal/core';
import { loadRunModel } from '@frugal/cli';
import { runData } from './run-data.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { backend: { type: 'string', default: 'native' }, last: { type: 'string', default: '2,3,4,6,8,12,18' } },
});
const [runDir] = positionals;
if (!runDir) throw new Error('usage: checkpoint-average.mjs RUN_DIR [--backend native] [--last 2,3,4,6,8,12,18]');
const lasts = values.last.split(',').map(Number);
if (!lasts.every((k) => Number.isInteger(k) && k >= 1)) throw new Error(`--last ${values.last}: give checkpoint counts ≥ 1, e.g. 2,4,8`);
const { data } = await runData(runDir, values.backend);
const { model, card } = await loadRunModel(runDir);
const percent = (x) => `${(100 * x).toFixed(2)}%`;
const accuracy = () => evaluate(model, data.test, { normalization: card.normalization }).accuracy;

/** Every checkpoint's live and EMA weights, oldest first. */
async function checkpoints() {
  const dir = join(runDir, 'checkpoints');
  const found = [];
  for (const name of await checkpointNames(dir)) {
    const { path, tensors } = await readCheckpoint(join(dir, name));
    tensors.optimizers.forEach((o) => tf.dispose(Object.values(o.tensors)));
    if (!tensors.ema) throw new Error(`${path} has no EMA weights; train the run with train.emaDecay`);
    found.push({ name, live: tensors.weights, ema: tensors.ema });
  }
  return found;
}

/** Test accuracy with the mean of `lists` (each a list of the model's weights) in the model. */
function accuracyWith(lists) {
  const mean = lists[0].map((_, i) => tf.tidy(() => tf.div(tf.addN(lists.map((l) => l[i])), lists.length)));
  restoreWeights(model, mean, runDir);
  tf.dispose(mean);
  return accuracy();
}

/** The test images' class probabilities under the model's present weights. */
function probabilities() {
  const n = data.test.labels.length;
  const parts = [];
  for (let start = 0; start < n; start += 500) {
    const indices = Array.from({ length: Math.min(500, n - start) }, (_, i) => start + i);
    parts.push(tf.tidy(() => tf.softmax(model.apply(normalize(imageBatch(data.test, indices), card.normalization), { training: false }))));
  }
  const all = tf.concat(parts);
  tf.dispose(parts);
  return all;
}

const labels = tf.tensor1d(Array.from(data.test.labels), 'int32');
const ensembleAccuracy = (probs) =>
  tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(tf.addN(probs), 1), labels), 'float32')).dataSync()[0]);

console.log(`the run's model: ${percent(accuracy())}`);
const all = await checkpoints();
const probs = all.map((c) => {
  restoreWeights(model, c.ema, runDir);
  return probabilities();
});
console.log(`each checkpoint's EMA weights: ${all.map((c, i) => `${c.name.slice(6, 10)} ${percent(ensembleAccuracy([probs[i]]))}`).join(', ')}`);
for (const k of lasts.filter((k) => k <= all.length)) {
  const last = all.slice(-k);
  console.log(
    `last ${k} checkpoints: mean of live weights ${percent(accuracyWith(last.map((c) => c.live)))}, ` +
      `mean of EMA weights ${percent(accuracyWith(last.map((c) => c.ema)))}, ` +
      `mean of EMA predictions ${percent(ensembleAccuracy(probs.slice(-k)))}`,
  );
}
tf.dispose([labels, ...probs, ...all.flatMap((c) => [...c.live, ...c.ema])]);
model.dispose();
