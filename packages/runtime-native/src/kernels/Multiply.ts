import { Multiply, type BinaryInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { MUL, runBinary } from './run-elementwise.js';

/** Products (backpropagation through activations and batch norm) of float32 tensors of one shape, or by a per-channel vector or a scalar; threaded. */
export const multiplyConfig = nativeKernel<BinaryInputs, object>(Multiply, ({ inputs, backend }) =>
  runBinary(backend, MUL, inputs.a as TensorInfo, inputs.b as TensorInfo),
);
