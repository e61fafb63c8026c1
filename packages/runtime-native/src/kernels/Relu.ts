import { Relu, type TensorInfo, type UnaryInputs } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { RELU, runUnary } from './run-elementwise.js';

/** ReLU of a float32 tensor, threaded. */
export const reluConfig = nativeKernel<UnaryInputs, object>(Relu, ({ inputs, backend }) => runUnary(backend, RELU, inputs.x as TensorInfo));
