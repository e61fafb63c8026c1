import { Step, type StepAttrs, type TensorInfo, type UnaryInputs } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { runUnary, STEP } from './run-elementwise.js';

/** x > 0 ? 1 : alpha (ReLU's gradient mask), threaded. */
export const stepConfig = nativeKernel<UnaryInputs, StepAttrs>(Step, ({ inputs, attrs, backend }) => runUnary(backend, STEP, inputs.x as TensorInfo, attrs.alpha ?? 0));
