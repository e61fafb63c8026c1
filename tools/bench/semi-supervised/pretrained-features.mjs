// A pretrained network's features of a run's labelled, unlabelled and test images, as export-features.mjs
// writes a run's own (for probe_features.py and linear_probe.py). The network is a Keras model in
// TensorFlow.js's layers format as the nsfwjs package ships it (ImageNet-initialised InceptionV3 and
// MobileNetV2): its layers up to LAYER, on the images scaled to SIZE × SIZE and copied to three
// channels (in [0, 1], as nsfwjs feeds them), averaged over the positions.
//   node tools/bench/semi-supervised/pretrained-features.mjs RUN_DIR OUT_PREFIX --package DIR [--model inception_v3]
//       [--layer mixed4] [--size 150] [--backend native]
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { runData } from './run-data.mjs';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    package: { type: 'string' },
    model: { type: 'string', default: 'inception_v3' },
    layer: { type: 'string', default: 'mixed4' },
    size: { type: 'string', default: '150' },
    backend: { type: 'string', default: 'native' },
  },
});
const [runDir, out] = positionals;
if (!runDir || !out || !values.package) throw new Error('usage: pretrained-features.mjs RUN_DIR OUT_PREFIX --package DIR [--model M] [--layer L] [--size S]');
const size = Number(values.size);
const { data } = await runData(runDir, values.backend);

/** The Keras model cut at `layer`, taking `size` × `size` images. */
async function trunk(dir, layer) {
  const require = createRequire(import.meta.url);
  const json = require(`${dir}/model.min.js`);
  const { paths, weights } = json.weightsManifest[0];
  const shards = paths.map((_, i) => Buffer.from(require(`${dir}/group1-shard${i + 1}of${paths.length}.min.js`), 'base64'));
  const weightData = Buffer.concat(shards);
  const config = json.modelTopology.model_config.config;
  config.layers[0].config.batch_input_shape = [null, size, size, 3];
  config.layers = config.layers.slice(0, config.layers.findIndex((l) => l.name === layer) + 1);
  config.output_layers = [[layer, 0, 0]];
  const artifacts = { modelTopology: json.modelTopology, weightSpecs: weights, weightData: new Uint8Array(weightData).buffer };
  return loadLayersModel(tf.io.fromMemory(artifacts), { strict: false });
}

const model = await trunk(`${values.package}/dist/models/${values.model}`, values.layer);
const started = Date.now();
for (const [name, set] of [['labelled', data.labelled], ['unlabelled', data.unlabelled], ['test', data.test]]) {
  const [height, width, channels] = set.shape;
  const pixels = height * width * channels;
  const features = [];
  for (let start = 0; start < set.labels.length; start += 100) {
    const count = Math.min(100, set.labels.length - start);
    const f = tf.tidy(() => {
      const x = tf.div(tf.tensor4d(Float32Array.from(set.pixels.subarray(start * pixels, (start + count) * pixels)), [count, height, width, channels]), 255);
      const scaled = tf.image.resizeBilinear(channels === 1 ? tf.tile(x, [1, 1, 1, 3]) : x, [size, size]);
      return tf.mean(model.predict(scaled), [1, 2]);
    });
    features.push(Buffer.from((await f.data()).buffer));
    f.dispose();
  }
  writeFileSync(`${out}-${name}-features.f32`, Buffer.concat(features));
  // No head of the run's classes: zeros in its place, so that the probes read the files as a run's.
  writeFileSync(`${out}-${name}-logits.f32`, Buffer.alloc(set.labels.length * set.classNames.length * 4));
  writeFileSync(`${out}-${name}-labels.i32`, Buffer.from(new Int32Array(set.labels).buffer));
  console.log(`${name}: ${set.labels.length} images, ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
