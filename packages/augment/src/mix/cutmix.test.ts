import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frugalWithAugment, leakedBy, samples, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

describe('cutmix', () => {
  it('pastes a box of the partner image and weights the labels by the pasted area', () => {
    const n = 8;
    // Image i is filled with (i + 1) / 10, so each pixel tells which image it came from.
    const x = tf.tidy(() => tf.mul(tf.ones([n, 10, 10, 1]), tf.reshape(tf.div(tf.range(1, n + 1), 10), [n, 1, 1, 1]))) as tf.Tensor4D;
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.range(0, n, 1, 'int32'), n), 'float32')) as tf.Tensor2D;
    const out = frugalWithAugment().augmentations.create('cutmix', { alpha: 1 }).applyBatch?.({ x, y }, new Rng(7));
    if (!out) throw new Error('cutmix must mix batches');
    const images = samples(take(out.x), n);
    const labels = samples(take(out.y), n);
    let pasted = 0;
    images.forEach((image, i) => {
      const row = labels[i] as Float32Array;
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      const own = image.filter((v) => Math.abs(v - (i + 1) / 10) < 1e-6).length / 100;
      if (own < 1) pasted++;
      // The label keeps the share of own pixels (the partner may be the image itself).
      expect(row[i]).toBeGreaterThanOrEqual(own - 1e-5);
      const others = Array.from(row).filter((_, k) => k !== i);
      if (others.some((w) => w > 0)) expect(row[i]).toBeCloseTo(own, 5);
    });
    expect(pasted).toBeGreaterThan(3);
    tf.dispose([x, y]);
  });

  it('frees its tensors', () => {
    const x = tf.randomUniform([4, 8, 8, 3]) as tf.Tensor4D;
    const y = tf.tidy(() => tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0], 'int32'), 3), 'float32')) as tf.Tensor2D;
    const aug = frugalWithAugment().augmentations.create('cutmix');
    expect(leakedBy(() => Object.values(aug.applyBatch?.({ x, y }, new Rng(1)) ?? {}))).toBe(0);
    tf.dispose([x, y]);
  });
});
