import { cast, lessEqual, mul, Relu6, step } from '@tensorflow/tfjs-core';
import { activationGradConfig, activationGradKernel } from './activation-gradient.js';
import { RELU6_GRAD } from './run-elementwise.js';

/**
 * Relu6's gradient dy·((x ≤ 6)·step(x)) as one kernel (tfjs runs LessEqual, Step, Multiply, Cast
 * and Multiply): the gradient inside hard-swish and hard-sigmoid.
 */
export const RELU6_GRAD_KERNEL = 'FrugalRelu6Grad';

export const relu6GradKernelConfig = activationGradKernel(RELU6_GRAD_KERNEL, RELU6_GRAD);

export const relu6GradConfig = activationGradConfig(Relu6, RELU6_GRAD_KERNEL, (dy, x) => mul(dy, cast(mul(lessEqual(x, 6), step(x)), 'float32')));
