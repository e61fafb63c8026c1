import * as tf from '@tensorflow/tfjs-core';

/** Per-sample scalars as an `[n, 1, 1, 1]` tensor that broadcasts over an NHWC batch. */
export function perSample(values: ArrayLike<number>): tf.Tensor4D {
  return tf.tensor4d(Float32Array.from(values), [values.length, 1, 1, 1]);
}

/** Keeps values in [0, 1], the range every op promises. */
export function clip01<T extends tf.Tensor>(x: T): T {
  return tf.clipByValue(x, 0, 1);
}
