import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@frugal/core';
import { useTestBackend } from '../test-utils/tiny.js';
import { rowCrossEntropy } from './row-cross-entropy.js';
import { virtualAdversarial } from './virtual-adversarial.js';

beforeAll(useTestBackend);

describe('virtualAdversarial', () => {
  // A linear classifier of 4×4 images into 5 classes.
  const rng = new Rng('vat');
  const weights = tf.tensor2d(Array.from({ length: 16 * 5 }, () => rng.normal()), [16, 5]);
  const logits = (x: tf.Tensor4D): tf.Tensor2D => tf.matMul(tf.reshape(x, [x.shape[0], 16]), weights);
  const images = tf.tensor4d(Array.from({ length: 3 * 16 }, () => rng.uniform(0, 0.1)), [3, 4, 4, 1]);
  const targets = tf.softmax(logits(images));
  const divergence = (x: tf.Tensor4D): Float32Array => tf.tidy(() => rowCrossEntropy(logits(x), targets).dataSync() as Float32Array);

  it('moves each image by epsilon, in a direction that changes the prediction more than random directions do', () => {
    const before = tf.memory().numTensors;
    const { images: moved, targets: own } = virtualAdversarial(logits, images, 0.5, 1e-3, 7);
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(own.dataSync())).toEqual(Array.from(targets.dataSync()));
    const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.sub(moved, images)), [1, 2, 3])).dataSync());
    for (const n of norms) expect(n).toBeCloseTo(0.5, 4);
    const adversarial = divergence(moved);
    // The strongest of 50 random moves of the same radius, image by image.
    const strongest = new Float32Array(3);
    for (let trial = 0; trial < 50; trial += 1) {
      const random = tf.tidy(() => {
        const d = tf.randomNormal(images.shape, 0, 1, 'float32', 100 + trial);
        return tf.add(images, tf.mul(tf.div(d, tf.sqrt(tf.sum(tf.square(d), [1, 2, 3], true))), 0.5)) as tf.Tensor4D;
      });
      divergence(random).forEach((v, i) => (strongest[i] = Math.max(strongest[i] as number, v)));
      random.dispose();
    }
    adversarial.forEach((v, i) => expect(v).toBeGreaterThan(strongest[i] as number));
    tf.dispose([moved, own]);
  });

  it('draws the same move from the same seed', () => {
    const a = virtualAdversarial(logits, images, 0.5, 1e-3, 7);
    const b = virtualAdversarial(logits, images, 0.5, 1e-3, 7);
    expect(Array.from(a.images.dataSync())).toEqual(Array.from(b.images.dataSync()));
    tf.dispose([a.images, a.targets, b.images, b.targets]);
  });
});
