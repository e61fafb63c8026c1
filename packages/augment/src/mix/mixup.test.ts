import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frugalWithAugment, leakedBy, maxDiff, samples, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

/** Image i is filled with the value i / n, and has label i: a mix can be read back from both. */
function labelledBatch(n: number) {
  const x = tf.tidy(() => tf.mul(tf.ones([n, 4, 4, 3]), tf.reshape(tf.div(tf.range(0, n), n), [n, 1, 1, 1]))) as tf.Tensor4D;
  const y = tf.tidy(() => tf.cast(tf.oneHot(tf.range(0, n, 1, 'int32'), n), 'float32')) as tf.Tensor2D;
  return { x, y };
}

describe('mixup', () => {
  it('gives soft labels whose rows sum to 1 and weight the two images as the pixels do', () => {
    const n = 8;
    const batch = labelledBatch(n);
    const aug = frugalWithAugment().augmentations.create('mixup', { alpha: 1 });
    const out = aug.applyBatch?.(batch, new Rng(3));
    if (!out) throw new Error('mixup must mix batches');
    const y = samples(take(out.y), n);
    const x = samples(take(out.x), n);
    let mixed = 0;
    y.forEach((row, i) => {
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      // The pixel value is Σ_k y[k] · k / n.
      const expected = row.reduce((acc, w, k) => acc + (w * k) / n, 0);
      expect((x[i] as Float32Array)[0]).toBeCloseTo(expected, 5);
      if (Math.max(...row) < 0.999) mixed++;
    });
    expect(mixed).toBeGreaterThan(4);
    tf.dispose([batch.x, batch.y]);
  });

  it('draws one λ per sample (elem) or one per batch (batch)', () => {
    const n = 8;
    const batch = labelledBatch(n);
    const ownWeights = (mode: string) => {
      const out = frugalWithAugment().augmentations.create('mixup', { alpha: 1, mode }).applyBatch?.(batch, new Rng(5));
      if (!out) throw new Error('mixup must mix batches');
      out.x.dispose();
      return samples(take(out.y), n).map((row, i) => Number((row[i] as number).toFixed(5)));
    };
    expect(new Set(ownWeights('elem')).size).toBeGreaterThan(4);
    expect(new Set(ownWeights('batch').map((w) => Math.max(w, 1 - w))).size).toBeLessThanOrEqual(2);
    tf.dispose([batch.x, batch.y]);
  });

  it('leaves the batch as it is when p = 0, repeats with the seed, and frees its tensors', () => {
    const batch = labelledBatch(6);
    const frugal = frugalWithAugment();
    const none = frugal.augmentations.create('mixup', { p: 0 }).applyBatch?.(batch, new Rng(1));
    if (!none) throw new Error('mixup must mix batches');
    expect(maxDiff(take(none.x), batch.x.dataSync())).toBe(0);
    expect(maxDiff(take(none.y), batch.y.dataSync())).toBe(0);
    const aug = frugal.augmentations.create('mixup');
    const a = aug.applyBatch?.(batch, new Rng(2));
    const b = aug.applyBatch?.(batch, new Rng(2));
    if (!a || !b) throw new Error('mixup must mix batches');
    expect(maxDiff(take(a.x), take(b.x))).toBe(0);
    tf.dispose([a.y, b.y]);
    expect(leakedBy(() => Object.values(aug.applyBatch?.(batch, new Rng(3)) ?? {}))).toBe(0);
    tf.dispose([batch.x, batch.y]);
  });
});
