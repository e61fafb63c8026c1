import { MaxPool, type MaxPoolAttrs, type MaxPoolInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { poolInfo, runPool } from './run-pool.js';

/** Max pooling of NHWC activations, multi-threaded. */
export const maxPoolConfig = nativeKernel<MaxPoolInputs, MaxPoolAttrs>(MaxPool, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  const info = poolInfo(x, attrs);
  return info ? runPool(backend, info, x, true) : null;
});
