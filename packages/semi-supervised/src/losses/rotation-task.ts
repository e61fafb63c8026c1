import * as tf from '@tensorflow/tfjs-core';

/** Turns every image of a batch by `quarter` quarter turns (square images). */
function turn(x: tf.Tensor4D, quarter: number): tf.Tensor4D {
  switch (quarter) {
    case 1:
      return tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 2);
    case 2:
      return tf.reverse(x, [1, 2]);
    case 3:
      return tf.reverse(tf.transpose(x, [0, 2, 1, 3]), 1);
    default:
      return x;
  }
}

/**
 * The rotation task on a batch (Gidaris et al. 2018): image i turned by i mod 4 quarter turns, and
 * one-hot targets over the four turns. The images come back grouped by turn, their targets with them.
 */
export function quarterTurns(x: tf.Tensor4D): { images: tf.Tensor4D; targets: tf.Tensor2D } {
  return tf.tidy(() => {
    const [n, h, w] = x.shape;
    if (h !== w) throw new Error(`the rotation task needs square images, got ${h}×${w}`);
    const images: tf.Tensor4D[] = [];
    const turns: number[] = [];
    for (let quarter = 0; quarter < 4 && quarter < n; quarter++) {
      const picked = Array.from({ length: Math.ceil((n - quarter) / 4) }, (_, k) => quarter + 4 * k);
      images.push(turn(tf.gather(x, picked), quarter));
      turns.push(...picked.map(() => quarter));
    }
    return { images: tf.concat(images), targets: tf.cast(tf.oneHot(tf.tensor1d(turns, 'int32'), 4), 'float32') as tf.Tensor2D };
  });
}
