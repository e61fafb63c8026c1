import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { input, model, models } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { Hardsigmoid, Hardswish } from './hard-activations.js';
import { registerTorchLayers } from './register-layers.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// PyTorch 1.13's F.hardsigmoid and F.hardswish at these points.
const xs = [-5, -3, -1.5, 0, 1, 2.5, 3, 4];
const sigmoid = [0, 0, 0.25, 0.5, 2 / 3, 11 / 12, 1, 1];
const swish = [0, 0, -0.375, 0, 2 / 3, 2.5 * (11 / 12), 3, 4];

describe('Hardsigmoid and Hardswish', () => {
  it.each([
    ['Hardsigmoid', new Hardsigmoid({}), sigmoid],
    ['Hardswish', new Hardswish({}), swish],
  ] as const)('%s gives PyTorch’s values', (_name, layer, expected) => {
    const out = tf.tidy(() => Array.from((layer.apply(tf.tensor1d(xs)) as tf.Tensor).dataSync()));
    out.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
  });

  it('save and load under their own class names', async () => {
    registerTorchLayers();
    const x = input({ shape: [4] });
    const net = model({ inputs: x, outputs: new Hardsigmoid({ name: 'gate' }).apply(new Hardswish({ name: 'act' }).apply(x)) as never });
    let saved: tf.io.ModelArtifacts | undefined;
    await net.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    expect(JSON.stringify(saved?.modelTopology)).toMatch(/"FrugalHardswish".*"FrugalHardsigmoid"/);
    const loaded = await models.modelFromJSON(saved!.modelTopology as tf.io.ModelJSON['modelTopology'] as never);
    const [ours, theirs] = tf.tidy(() => {
      const values = tf.tensor2d([[-4, -1, 0.5, 3.5]]);
      return [loaded, net].map((m) => Array.from((m.predict(values) as tf.Tensor).dataSync()));
    });
    expect(ours).toEqual(theirs);
    loaded.dispose();
    net.dispose();
  });
});
