import { AvgPoolGrad, type AvgPoolGradAttrs, type AvgPoolGradInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { poolInfo, runPoolGrad } from './run-pool.js';
import { allFloat32 } from './wasm-heap.js';

/** Average pooling's gradient: dy spread over the filter's window (tfjs divides by the filter's size). */
export const avgPoolGradConfig = nativeKernel<AvgPoolGradInputs, AvgPoolGradAttrs>(AvgPoolGrad, ({ inputs, attrs, backend }) => {
  const dy = inputs.dy as TensorInfo;
  const x = inputs.input as TensorInfo;
  const info = poolInfo(x, attrs);
  if (!info || !allFloat32(dy)) return null;
  return runPoolGrad(backend, info, dy, x, false);
});
