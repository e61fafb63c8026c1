import * as tf from '@tensorflow/tfjs-core';

/** The fields of a channels-last tfjs-layers BatchNormalization that inference reads. */
export interface BatchNormWeights {
  epsilon: number;
  gamma?: tf.Tensor;
  beta?: tf.Tensor;
  movingMean: tf.Tensor;
  movingVariance: tf.Tensor;
}

/**
 * A convolution followed by batch norm in inference mode, as one convolution: with
 * s = γ / sqrt(σ² + ε) per output channel, BN(conv(x, W) + b) = conv(x, W·s) + (b − μ)·s + β.
 * The filter is HWIO, so `s` scales its last axis. Returns new tensors (the caller disposes them).
 */
export function foldBatchNorm(kernel: tf.Tensor4D, bias: tf.Tensor1D | undefined, bn: BatchNormWeights): { kernel: tf.Tensor4D; bias: tf.Tensor1D } {
  return tf.tidy(() => {
    const inverseStd = tf.rsqrt(tf.add(bn.movingVariance, bn.epsilon));
    const scale = bn.gamma ? tf.mul(bn.gamma, inverseStd) : inverseStd;
    const centred = bias ? tf.sub(bias, bn.movingMean) : tf.neg(bn.movingMean);
    const shifted = tf.mul(centred, scale);
    return {
      kernel: tf.mul(kernel, scale) as tf.Tensor4D,
      bias: (bn.beta ? tf.add(shifted, bn.beta) : shifted) as tf.Tensor1D,
    };
  });
}
