import { cast, mul, Relu, step } from '@tensorflow/tfjs-core';
import { activationGradConfig, activationGradKernel } from './activation-gradient.js';
import { RELU_GRAD } from './run-elementwise.js';

/** ReLU's gradient dy·step(x) as one kernel (tfjs runs Step, then Multiply). */
export const RELU_GRAD_KERNEL = 'FrugalReluGrad';

export const reluGradKernelConfig = activationGradKernel(RELU_GRAD_KERNEL, RELU_GRAD);

export const reluGradConfig = activationGradConfig(Relu, RELU_GRAD_KERNEL, (dy, x) => mul(dy, cast(step(x), 'float32')));
