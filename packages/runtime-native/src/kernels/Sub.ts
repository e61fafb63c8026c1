import { Sub, type BinaryInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { SUB, runBinary } from './run-elementwise.js';

/** Differences (centring by a per-channel mean) of float32 tensors of one shape, or by a per-channel vector or a scalar; threaded. */
export const subConfig = nativeKernel<BinaryInputs, object>(Sub, ({ inputs, backend }) =>
  runBinary(backend, SUB, inputs.a as TensorInfo, inputs.b as TensorInfo),
);
