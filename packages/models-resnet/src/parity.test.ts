import { createFrugal } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@frugal/runtime-gpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { resnet } from './plugin.js';
import { RESNET_VARIANTS } from './resnet.js';
import { FIXTURES_HINT, findTorchFixtures, fixtureModels, readFixtureIO, relativeError } from '@frugal/torch-compat/testing';

// wasm (XNNPACK), a backend users train on, always present: a tenth of the cpu backend's time here.
beforeAll(async () => {
  await useBackend('wasm');
});

// resnet18 always (CI has ../shared); every other ResNet that has fixtures in $FRUGAL_FIXTURES.
const models = [...new Set(['resnet18', ...fixtureModels().filter((m) => m in RESNET_VARIANTS)])];

describe.each(models)('torchvision parity: %s', (model) => {
  const fixtures = findTorchFixtures(model);
  if (fixtures.length === 0) {
    it.skip(`no ${model} fixtures found. ${FIXTURES_HINT}`, () => {});
    return;
  }
  it.each(fixtures.map((f) => [f.weights, f] as const))('reproduces the logits of %s (relative error < 1e-4)', (_name, fixture) => {
    const { input, outputs } = readFixtureIO(fixture);
    const [, h, w, c] = input.shape;
    const frugal = createFrugal({ plugins: [resnet()], seed: 1 });
    const built = frugal.models.create(model, { numClasses: 1000, inputShape: [h, w, c], weights: fixture.weights });
    const logits = built.model.predict(input) as tf.Tensor;
    const error = relativeError(logits, outputs.get('logits') as tf.Tensor);
    console.log(`${model} (${fixture.weights}): relative error ${error.toExponential(2)}`);
    expect(error).toBeLessThan(1e-4);
    tf.dispose([input, logits, ...outputs.values()]);
    built.model.dispose();
  });
});
