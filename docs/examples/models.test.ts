import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeModels } from './models.js';

beforeAll(() => tf.setBackend('cpu'));

describe('models example', () => {
  it('builds ResNet-20, Plain-20 and GoogLeNet with their heads and auxiliary classifiers', () => {
    const s = describeModels();
    // Option-A shortcuts have no parameters: the shortcut costs nothing but changes what trains well.
    expect(s.plain20.params).toBe(s.resnet20.params);
    expect(s.resnet20.params).toBeGreaterThan(260_000);
    expect(s.resnet20.params).toBeLessThan(280_000);
    expect(s.resnet20).toMatchObject({ features: 64, head: 'head' });
    expect(s.googlenet.outputs.inference).toEqual([2, 10]);
    expect(s.googlenet.outputs.training).toEqual([[2, 10], [2, 10], [2, 10]]);
    expect(s.googlenet.auxLossWeights).toEqual([0.3, 0.3]);
  });
});
