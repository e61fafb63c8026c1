import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';

/**
 * PyTorch's piecewise-linear activations of MobileNetV3, as layers (TensorFlow.js has neither:
 * its `hardSigmoid` is Keras's 0.2x + 0.5, another function).
 */

const only = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor => (Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs);

/** `Hardsigmoid`: relu6(x + 3) / 6 (the squeeze-and-excitation gate). */
export class Hardsigmoid extends layers.Layer {
  static readonly className = 'FrugalHardsigmoid';

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => tf.div(tf.relu6(tf.add(only(inputs), 3)), 6));
  }
}

/** `Hardswish`: x · relu6(x + 3) / 6. */
export class Hardswish extends layers.Layer {
  static readonly className = 'FrugalHardswish';

  override call(inputs: tf.Tensor | tf.Tensor[], _kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = only(inputs);
      return tf.div(tf.mul(x, tf.relu6(tf.add(x, 3))), 6);
    });
  }
}
