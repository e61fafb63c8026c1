import { Add, type BinaryInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { ADD, runBinary } from './run-elementwise.js';

/** Sums (residual connections, gradient accumulation) of float32 tensors of one shape, or by a per-channel vector or a scalar; threaded. */
export const addConfig = nativeKernel<BinaryInputs, object>(Add, ({ inputs, backend }) =>
  runBinary(backend, ADD, inputs.a as TensorInfo, inputs.b as TensorInfo),
);
