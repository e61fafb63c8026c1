import type { backend_util} from '@tensorflow/tfjs-core';
import { type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { convParams } from './conv-params.js';
import { heapOf, offsetOf, output, type WasmBackend } from './wasm-heap.js';

const constantKeys = new WeakMap<object, number>();
let nextKey = 0;

/** The key of a filter its caller says never changes (its data's identity: tfjs never rewrites a tensor's data). */
function constantKey(filter: TensorInfo): number {
  let key = constantKeys.get(filter.dataId);
  if (key === undefined) constantKeys.set(filter.dataId, (key = nextKey++));
  return key;
}

/**
 * One convolution through the addon (see src/addon/conv.cc for what `a`, `b` and the output are in
 * each kind), writing a new float32 tensor of `outShape`.
 */
export function runConv(
  backend: WasmBackend,
  info: backend_util.Conv2DInfo,
  kind: number,
  a: TensorInfo,
  b: TensorInfo,
  outShape: number[],
  options: { depthwise?: boolean; bias?: TensorInfo; activation?: number; alpha?: number; residual?: TensorInfo; constantFilter?: boolean } = {},
): TensorInfo {
  const out = output(backend, outShape);
  const params = convParams(info, {
    kind,
    depthwise: options.depthwise,
    activation: options.activation,
    hasBias: options.bias !== undefined,
    hasResidual: options.residual !== undefined,
  });
  addon().conv(
    heapOf(backend),
    params,
    offsetOf(backend, a),
    offsetOf(backend, b),
    offsetOf(backend, out),
    options.bias ? offsetOf(backend, options.bias) : -1,
    options.alpha ?? 0,
    options.residual ? offsetOf(backend, options.residual) : -1,
    options.constantFilter ? constantKey(b) : -1,
  );
  return out;
}
