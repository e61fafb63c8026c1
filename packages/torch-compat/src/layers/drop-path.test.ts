import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { DropPath } from './drop-path.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

function run(layer: DropPath, x: tf.Tensor, training: boolean): Float32Array {
  return tf.tidy(() => layer.call(x, { training }).dataSync() as Float32Array);
}

describe('DropPath', () => {
  const x = tf.ones([64, 2, 2, 3]);

  it('is the identity at inference', () => {
    const layer = new DropPath({ rate: 0.5, seed: 1 });
    expect(Array.from(run(layer, x, false))).toEqual(Array.from(x.dataSync()));
  });

  it('in training zeroes whole samples with probability rate and scales the others by 1 / (1 - rate)', () => {
    const layer = new DropPath({ rate: 0.25, seed: 3 });
    const out = run(layer, x, true);
    const perSample = Array.from({ length: 64 }, (_, i) => Array.from(out.slice(i * 12, (i + 1) * 12)));
    for (const values of perSample) {
      expect(new Set(values).size).toBe(1);
      expect([0, 1 / 0.75]).toContainEqual(expect.closeTo(values[0]!, 6));
    }
    const dropped = perSample.filter((v) => v[0] === 0).length;
    expect(dropped).toBeGreaterThan(4);
    expect(dropped).toBeLessThan(32);
  });

  it('draws the mask from (seed, step): the same step repeats it, another step changes it', () => {
    const layer = new DropPath({ rate: 0.5, seed: 9 });
    layer.setStep(4);
    const a = run(layer, x, true);
    expect(Array.from(run(layer, x, true))).toEqual(Array.from(a));
    layer.setStep(5);
    expect(Array.from(run(layer, x, true))).not.toEqual(Array.from(a));
    const twin = new DropPath({ rate: 0.5, seed: 9 });
    twin.setStep(4);
    expect(Array.from(run(twin, x, true))).toEqual(Array.from(a));
  });

  it('keeps rate and seed in its config and refuses a rate outside [0, 1)', () => {
    expect(new DropPath({ rate: 0.1, seed: 5 }).getConfig()).toMatchObject({ rate: 0.1, seed: 5 });
    expect(() => new DropPath({ rate: 1, seed: 1, name: 'dp' })).toThrow(/DropPath "dp": rate must be in \[0, 1\), got 1/);
  });
});
