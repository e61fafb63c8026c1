import { Square, type TensorInfo, type UnaryInputs } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { SQUARE, runUnary } from './run-elementwise.js';

/** Squares of a float32 tensor, threaded. */
export const squareConfig = nativeKernel<UnaryInputs, object>(Square, ({ inputs, backend }) => runUnary(backend, SQUARE, inputs.x as TensorInfo));
