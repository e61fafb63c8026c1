import * as tfl from '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { useCpu } from '../testing/index.js';
import { seededInitializers } from './seeded-initializers.js';

beforeAll(useCpu);

const kernel = (init: ReturnType<typeof tfl.initializers.heNormal>) => {
  const layer = tfl.layers.dense({ units: 4, kernelInitializer: init });
  layer.apply(tfl.input({ shape: [4] }));
  return Array.from(layer.getWeights()[0]?.dataSync() ?? []);
};

describe('seededInitializers', () => {
  it('shows the pitfall: one fixed seed gives every layer the same kernel', () => {
    expect(kernel(tfl.initializers.heNormal({ seed: 1 }))).toEqual(kernel(tfl.initializers.heNormal({ seed: 1 })));
  });

  it('gives each layer its own weights, reproducibly from the stream seed', () => {
    const a = seededInitializers(new Rng(1));
    const first = kernel(a.heNormal());
    const second = kernel(a.heNormal());
    expect(second).not.toEqual(first);
    const b = seededInitializers(new Rng(1));
    expect(kernel(b.heNormal())).toEqual(first);
    expect(kernel(b.heNormal())).toEqual(second);
  });

  it('draws with the intended scale (He: std = sqrt(2 / fanIn))', () => {
    const init = seededInitializers(new Rng(2)).heNormal();
    const w = init.apply([256, 256]) as tf.Tensor;
    const std = Math.sqrt(tf.moments(w).variance.dataSync()[0] as number);
    expect(std).toBeGreaterThan(Math.sqrt(2 / 256) * 0.8);
    expect(std).toBeLessThan(Math.sqrt(2 / 256) * 1.1);
  });
});
