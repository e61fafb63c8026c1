import { MaxPoolGrad, type MaxPoolGradAttrs, type MaxPoolGradInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { poolInfo, runPoolGrad } from './run-pool.js';
import { allFloat32 } from './wasm-heap.js';

/** Max pooling's gradient: each dy goes to the first maximum of its window. */
export const maxPoolGradConfig = nativeKernel<MaxPoolGradInputs, MaxPoolGradAttrs>(MaxPoolGrad, ({ inputs, attrs, backend }) => {
  const dy = inputs.dy as TensorInfo;
  const x = inputs.input as TensorInfo;
  const info = poolInfo(x, attrs);
  if (!info || !allFloat32(dy)) return null;
  return runPoolGrad(backend, info, dy, x, true);
});
