import { _FusedMatMul, type _FusedMatMulAttrs, type _FusedMatMulInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { ACTIVATIONS } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runMatMul } from './run-matmul.js';
import { allFloat32 } from './wasm-heap.js';

/** A matrix product with its bias and activation in the same pass. */
export const fusedMatMulConfig = nativeKernel<_FusedMatMulInputs, _FusedMatMulAttrs>(_FusedMatMul, ({ inputs, attrs, backend }) => {
  const a = inputs.a as TensorInfo;
  const b = inputs.b as TensorInfo;
  const bias = inputs.bias as TensorInfo | undefined;
  const activation = ACTIVATIONS[attrs.activation ?? 'linear'];
  if (activation === undefined || !allFloat32(a, b, bias)) return null;
  return runMatMul(backend, a, b, attrs.transposeA, attrs.transposeB, { bias, activation, alpha: attrs.leakyreluAlpha ?? 0.2 });
});
