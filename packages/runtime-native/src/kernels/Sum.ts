import { Sum, type SumAttrs, type SumInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { runReduce } from './run-reduce.js';

/** Sums over leading or trailing axes (BatchNorm's per-channel sums), multi-threaded. */
export const sumConfig = nativeKernel<SumInputs, SumAttrs>(Sum, ({ inputs, attrs, backend }) =>
  runReduce(backend, inputs.x as TensorInfo, attrs.axis, attrs.keepDims, false),
);
