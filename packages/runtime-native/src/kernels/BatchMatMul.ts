import { BatchMatMul, type BatchMatMulAttrs, type BatchMatMulInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { runMatMul } from './run-matmul.js';
import { allFloat32 } from './wasm-heap.js';

/** Batched matrix products (dense layers' forward and backward passes) on oneDNN. */
export const batchMatMulConfig = nativeKernel<BatchMatMulInputs, BatchMatMulAttrs>(BatchMatMul, ({ inputs, attrs, backend }) => {
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  if (!allFloat32(a, b)) return null;
  return runMatMul(backend, a, b, attrs.transposeA, attrs.transposeB);
});
