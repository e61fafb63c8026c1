import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test-utils/tiny.js';
import { featureConsistencyLoss } from './feature-consistency.js';

beforeAll(useTestBackend);

describe('featureConsistencyLoss', () => {
  it('is minus the mean cosine similarity of the rows, whatever their lengths', () => {
    const projected = tf.tensor2d([[2, 0], [0, 3], [1, 1]]);
    const weak = tf.tensor2d([[5, 0], [1, 0], [-1, -1]]);
    // Cosines 1, 0 and −1.
    expect(featureConsistencyLoss(projected, weak).arraySync()).toBeCloseTo(0, 6);
    expect(featureConsistencyLoss(projected, tf.tensor2d([[1, 0], [0, 1], [3, 3]])).arraySync()).toBeCloseTo(-1, 6);
  });

  it('gives gradients to the projection only, which turn it towards the weak features', () => {
    const weak = tf.tensor2d([[0, 1]]);
    const grad = tf.grad((x) => featureConsistencyLoss(x as tf.Tensor2D, weak))(tf.tensor2d([[1, 0]]));
    // Descending the gradient moves [1, 0] towards [0, 1].
    const [dx, dy] = grad.dataSync();
    expect(dy).toBeLessThan(0);
    expect(Math.abs(dx as number)).toBeLessThan(1e-6);
  });
});
