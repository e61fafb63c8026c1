import { createFrugal } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES_HINT, findTorchFixtures, readFixtureIO, relativeError } from '@frugal/torch-compat/testing';
import { resnet } from './plugin.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// torchvision's wide_resnet50_2 with its own weights: the fixtures are large (138 MB), so they live
// outside the repository; tools/fixtures/README.md says how to write them.
const fixtures = findTorchFixtures('wide_resnet50_2');

describe('torchvision parity: wide_resnet50_2', () => {
  if (fixtures.length === 0) {
    it.skip(`no wide_resnet50_2 fixtures found. ${FIXTURES_HINT}`, () => {});
    return;
  }
  it.for(fixtures.map((f) => [f.weights, f] as const))('reproduces the logits of %s (relative error < 1e-4)', async ([, fixture], { annotate }) => {
    const { input, outputs } = readFixtureIO(fixture);
    const [, h, w, c] = input.shape;
    const frugal = createFrugal({ plugins: [resnet()], seed: 1 });
    const built = frugal.models.create('wide_resnet50_2', { numClasses: 1000, inputShape: [h, w, c], weights: fixture.weights });
    const logits = built.model.predict(input) as tf.Tensor;
    const error = relativeError(logits, outputs.get('logits') as tf.Tensor);
    await annotate(`relative error ${error.toExponential(2)}`); // shown by --reporter verbose
    expect(error).toBeLessThan(1e-4);
    tf.dispose([input, logits, ...outputs.values()]);
    built.model.dispose();
  });
});
