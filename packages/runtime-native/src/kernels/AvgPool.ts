import { AvgPool, type AvgPoolAttrs, type AvgPoolInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { poolInfo, runPool } from './run-pool.js';

/** Average pooling of NHWC activations, multi-threaded. */
export const avgPoolConfig = nativeKernel<AvgPoolInputs, AvgPoolAttrs>(AvgPool, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  const info = poolInfo(x, attrs);
  return info ? runPool(backend, info, x, false) : null;
});
