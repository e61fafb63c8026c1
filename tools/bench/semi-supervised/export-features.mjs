// A trained run's penultimate features and logits for its labelled, unlabelled and test images, as
// raw little-endian files for probe_features.py and pixel_propagation.py (labels: Int32, -1 where a
// run never reads them; pixels: the images' bytes, HWC).
//   node tools/bench/semi-supervised/export-features.mjs RUN_DIR OUT_PREFIX [--backend native]
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel } from '@tensorflow/tfjs-layers';
import { imageBatch, normalize } from '@frugal/core';
import { loadRunModel } from '@frugal/cli';
import { runData } from './run-data.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { backend: { type: 'string', default: 'native' } } });
const [runDir, out] = positionals;
if (!runDir || !out) throw new Error('usage: export-features.mjs RUN_DIR OUT_PREFIX [--backend native]');
const { data } = await runData(runDir, values.backend);
const { model, card } = await loadRunModel(runDir);
const both = functionalModel({ inputs: model.inputs, outputs: [model.getLayer('features').output, model.outputs[0]] });
for (const [name, set] of [['labelled', data.labelled], ['unlabelled', data.unlabelled], ['test', data.test]]) {
  const features = [];
  const logits = [];
  for (let start = 0; start < set.labels.length; start += 500) {
    const indices = Array.from({ length: Math.min(500, set.labels.length - start) }, (_, i) => start + i);
    const [f, l] = tf.tidy(() => both.predict(normalize(imageBatch(set, indices), card.normalization)));
    features.push(Buffer.from((await f.data()).buffer));
    logits.push(Buffer.from((await l.data()).buffer));
    tf.dispose([f, l]);
  }
  writeFileSync(`${out}-${name}-features.f32`, Buffer.concat(features));
  writeFileSync(`${out}-${name}-logits.f32`, Buffer.concat(logits));
  writeFileSync(`${out}-${name}-labels.i32`, Buffer.from(new Int32Array(set.labels).buffer));
  writeFileSync(`${out}-${name}-pixels.u8`, set.pixels);
  console.log(`${name}: ${set.labels.length} images`);
}
