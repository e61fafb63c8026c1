import { SeededDropout, seededInitializers, type BuiltModel, type ModelBaseParams, type Rng } from '@frugal/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

export const lenet5Params = z.strictObject({
  /** `relu` (modern) or `tanh` (as LeCun et al. 1998). */
  activation: z.enum(['relu', 'tanh']).default('relu'),
  /** Dropout rate before the classifier. */
  dropout: z.number().min(0).lt(1).default(0),
});

export type LeNet5Params = z.input<typeof lenet5Params>;

/**
 * LeNet-5 (LeCun et al. 1998): two convolution + average-pooling stages, then 120- and 84-unit
 * dense layers. Outputs logits; the 84-unit layer is `features`, the classifier `head`, as every
 * Frugal model names them so that transfer learning finds them.
 */
export function createLeNet5(params: z.output<typeof lenet5Params> & ModelBaseParams, rng: Rng): BuiltModel {
  const init = seededInitializers(rng);
  const { activation } = params;
  const input = tfl.input({ shape: params.inputShape, name: 'input' });
  let x = tfl.layers.conv2d({ name: 'c1', filters: 6, kernelSize: 5, padding: 'same', activation, kernelInitializer: init.heNormal() }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.averagePooling2d({ name: 's2', poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.conv2d({ name: 'c3', filters: 16, kernelSize: 5, activation, kernelInitializer: init.heNormal() }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.averagePooling2d({ name: 's4', poolSize: 2 }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.flatten({ name: 'flatten' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dense({ name: 'c5', units: 120, activation, kernelInitializer: init.heNormal() }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.dense({ name: 'features', units: 84, activation, kernelInitializer: init.heNormal() }).apply(x) as tfl.SymbolicTensor;
  if (params.dropout > 0) x = new SeededDropout({ name: 'dropout', rate: params.dropout, seed: rng.seedInt() }).apply(x) as tfl.SymbolicTensor;
  const logits = tfl.layers.dense({ name: 'head', units: params.numClasses, kernelInitializer: init.glorotUniform() }).apply(x) as tfl.SymbolicTensor;
  return { model: tfl.model({ inputs: input, outputs: logits, name: 'lenet5' }), featureDim: 84 };
}
