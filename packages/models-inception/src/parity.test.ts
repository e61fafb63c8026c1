import { createFrugal } from '@frugal/core';
import { FIXTURES_HINT, findTorchFixtures, fixtureModels, readFixtureIO, relativeError } from '@frugal/torch-compat/testing';
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@frugal/runtime-gpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { GOOGLENET_VARIANTS } from './googlenet.js';
import { inception } from './plugin.js';

// wasm (XNNPACK), a backend users train on, always present: a tenth of the cpu backend's time here.
beforeAll(async () => {
  await useBackend('wasm');
});

// googlenet always (CI has ../shared); every other model of this family with fixtures in $FRUGAL_FIXTURES.
const models = [...new Set(['googlenet', ...fixtureModels().filter((m) => m in GOOGLENET_VARIANTS)])];

describe.each(models)('torchvision parity: %s', (model) => {
  const fixtures = findTorchFixtures(model);
  if (fixtures.length === 0) {
    it.skip(`no ${model} fixtures found. ${FIXTURES_HINT}`, () => {});
    return;
  }
  it.each(fixtures.map((f) => [f.weights, f] as const))('reproduces logits and auxiliary logits of %s (relative error < 1e-4)', (_name, fixture) => {
    const { input, outputs } = readFixtureIO(fixture);
    const [, h, w, c] = input.shape;
    const frugal = createFrugal({ plugins: [inception()], seed: 1 });
    const built = frugal.models.create(model, { numClasses: 1000, inputShape: [h, w, c], weights: fixture.weights });
    // The training model's first output is the inference model's logits (checked in models.test.ts).
    const predicted = built.trainingModel!.predict(input) as tf.Tensor[];
    const names = ['logits', ...[...outputs.keys()].filter((k) => k !== 'logits')];
    expect(predicted).toHaveLength(names.length);
    names.forEach((name, i) => {
      const error = relativeError(predicted[i] as tf.Tensor, outputs.get(name) as tf.Tensor);
      console.log(`${model} ${name} (${fixture.weights}): relative error ${error.toExponential(2)}`);
      expect(error).toBeLessThan(1e-4);
    });
    tf.dispose([input, ...predicted, ...outputs.values()]);
    built.trainingModel?.dispose();
  });
});
