import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frugalWithAugment, samples, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

/** The (dx, dy) shift with zero fill that turns `src` into `out`, if any. */
function findShift(src: Float32Array, out: Float32Array, size: number, pad: number): [number, number] | null {
  for (let dy = -pad; dy <= pad; dy++) {
    for (let dx = -pad; dx <= pad; dx++) {
      let ok = true;
      for (let y = 0; y < size && ok; y++) {
        for (let x = 0; x < size && ok; x++) {
          const sy = y - dy;
          const sx = x - dx;
          const expected = sy >= 0 && sy < size && sx >= 0 && sx < size ? (src[sy * size + sx] as number) : 0;
          ok = out[y * size + x] === expected;
        }
      }
      if (ok) return [dx, dy];
    }
  }
  return null;
}

describe('pad-crop', () => {
  it('is a zero-padded random crop: each output is its input shifted by at most padding pixels', () => {
    const n = 12;
    const size = 8;
    const x = tf.tidy(() => tf.add(tf.randomUniform([n, size, size, 1], 0, 1, 'float32', 3), 0.01)) as tf.Tensor4D;
    const aug = frugalWithAugment().augmentations.create('pad-crop', { padding: 2 });
    const out = samples(take(aug.apply(x, new Rng(5))), n);
    const src = samples(Float32Array.from(x.dataSync()), n);
    const shifts = out.map((o, i) => findShift(src[i] as Float32Array, o, size, 2));
    for (const s of shifts) expect(s).not.toBeNull();
    expect(new Set(shifts.map((s) => String(s))).size).toBeGreaterThan(3);
    x.dispose();
  });

  it('reflect padding fills from the image instead of a constant', () => {
    const x = tf.fill([4, 6, 6, 3], 0.5) as tf.Tensor4D;
    const aug = frugalWithAugment().augmentations.create('pad-crop', { padding: 3, fillMode: 'reflect' });
    expect(Math.min(...take(aug.apply(x, new Rng(1))))).toBe(0.5);
    x.dispose();
  });
});
