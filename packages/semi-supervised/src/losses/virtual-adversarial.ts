import * as tf from '@tensorflow/tfjs-core';
import { rowCrossEntropy } from './row-cross-entropy.js';

/** Each image scaled to unit L2 norm over its pixels. */
function unitImages(x: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.div(x, tf.add(tf.sqrt(tf.sum(tf.square(x), [1, 2, 3], true)), 1e-12)) as tf.Tensor4D);
}

export interface VirtualAdversarial {
  /** The images moved. */
  readonly images: tf.Tensor4D;
  /** The network's softmax on the images themselves, which the moved images are to keep. */
  readonly targets: tf.Tensor2D;
}

/**
 * Virtual adversarial examples (Miyato et al. 2018): each image moved by `epsilon` (L2 over its
 * pixels) in the direction that moves the network's prediction furthest from its prediction on the
 * image itself. One power iteration finds it: the gradient of the cross-entropy (the KL divergence
 * up to a constant) at a random offset of radius `xi`, taken with respect to the offset alone.
 * `xi` must move the logits by more than the arithmetic's rounding (the paper's 1e-6 needs float32
 * throughout). `seed` draws the offset.
 */
export function virtualAdversarial(logits: (x: tf.Tensor4D) => tf.Tensor2D, x: tf.Tensor4D, epsilon: number, xi: number, seed: number): VirtualAdversarial {
  return tf.tidy(() => {
    const targets = tf.softmax(logits(x)) as tf.Tensor2D;
    const start = tf.mul(unitImages(tf.randomNormal(x.shape, 0, 1, 'float32', seed)), xi) as tf.Tensor4D;
    const divergence = (r: tf.Tensor): tf.Tensor => tf.sum(rowCrossEntropy(logits(tf.add(x, r) as tf.Tensor4D), targets));
    const direction = tf.grad(divergence)(start) as tf.Tensor4D;
    return { images: tf.add(x, tf.mul(unitImages(direction), epsilon)) as tf.Tensor4D, targets };
  });
}
