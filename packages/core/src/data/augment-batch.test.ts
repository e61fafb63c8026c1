import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { useCpu } from '../testing/index.js';
import type { Augmentation } from '../types.js';
import { augmentBatch } from './augment-batch.js';

beforeAll(useCpu);

const brighten: Augmentation = { name: 'brighten', apply: (x) => tf.add(x, 1) };
const halve: Augmentation = {
  name: 'halve',
  apply: (x) => tf.mul(x, 0.5),
  applyBatch: (b) => ({ x: tf.mul(b.x, 0.5), y: tf.mul(b.y, 0.5) }),
};

describe('augmentBatch', () => {
  it('leaves the input batch to its owner when a batch-level op follows one that keeps the targets', () => {
    const batch = { x: tf.ones([2, 2, 2, 1]) as tf.Tensor4D, y: tf.tensor2d([[1, 0], [0, 1]]) };
    const before = tf.memory().numTensors;
    const out = augmentBatch([brighten, halve], batch, new Rng(0));
    // The input's tensors live on for a second pass over the same batch; only the new pair is added.
    expect(batch.x.isDisposed || batch.y.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(out.x.dataSync())).toEqual(Array(8).fill(1));
    expect(Array.from(out.y.dataSync())).toEqual([0.5, 0, 0, 0.5]);
    tf.dispose([batch.x, batch.y, out.x, out.y]);
  });
});
