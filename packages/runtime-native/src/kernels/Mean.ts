import { Mean, type MeanAttrs, type MeanInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { runReduce } from './run-reduce.js';

/** Means over leading or trailing axes (BatchNorm's statistics, global pooling), multi-threaded. */
export const meanConfig = nativeKernel<MeanInputs, MeanAttrs>(Mean, ({ inputs, attrs, backend }) =>
  runReduce(backend, inputs.x as TensorInfo, attrs.axis, attrs.keepDims, true),
);
