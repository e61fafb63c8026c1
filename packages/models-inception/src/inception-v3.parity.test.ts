import { createFrugal } from '@frugal/core';
import { FIXTURES_HINT, findTorchFixtures, readFixtureIO, relativeError } from '@frugal/torch-compat/testing';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import type { InceptionV3Model } from './inception-v3.js';
import { inception } from './plugin.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// torchvision's inception_v3 at 299x299 with its own weights, main and auxiliary logits. The
// fixtures (104 MB) live outside the repository (tools/fixtures/README.md), and the comparison
// takes minutes on the cpu backend, so it runs where $FRUGAL_FIXTURES has them.
const fixtures = findTorchFixtures('inception_v3');

describe('torchvision parity: inception_v3', () => {
  if (fixtures.length === 0) {
    it.skip(`no inception_v3 fixtures found. ${FIXTURES_HINT}`, () => {});
    return;
  }
  it.for(fixtures.map((f) => [f.weights, f] as const))('reproduces logits and auxiliary logits of %s (relative error < 1e-4)', { timeout: 900_000 }, async ([, fixture], { annotate }) => {
    const { input, outputs } = readFixtureIO(fixture);
    const [, h, w, c] = input.shape;
    const frugal = createFrugal({ plugins: [inception()], seed: 1 });
    const built = frugal.models.create('inception_v3', { numClasses: 1000, inputShape: [h, w, c], weights: fixture.weights }) as InceptionV3Model;
    expect(built.weightsReport?.missing).toEqual([]);
    const predicted = built.trainingModel!.predict(input) as tf.Tensor[];
    for (const [i, name] of (['logits', 'aux_logits'] as const).entries()) {
      const error = relativeError(predicted[i] as tf.Tensor, outputs.get(name) as tf.Tensor);
      await annotate(`${name}: relative error ${error.toExponential(2)}`); // shown by --reporter verbose
      expect(error).toBeLessThan(1e-4);
    }
    tf.dispose([input, ...predicted, ...outputs.values()]);
    built.trainingModel?.dispose();
  });
});
