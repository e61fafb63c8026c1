import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { encodeBFloat16, encodeFloat16 } from './float16.js';
import { encodeSafetensors, type TensorToWrite } from './safetensors.js';
import { DEFAULT_RENAMES, flattenedFrom } from './torch-weights.js';

export interface TorchExportOptions {
  /** Our layer name -> PyTorch module path; default: renames reversed, then '_' -> '.'. */
  layerToModule?: (layer: string) => string;
  /** The renames used on import (`{ fc: 'head' }`), reversed here. */
  renames?: Readonly<Record<string, string>>;
  dtype?: 'F32' | 'F16' | 'BF16';
  metadata?: Record<string, string>;
}

function defaultLayerToModule(renames: Readonly<Record<string, string>>): (layer: string) => string {
  const reversed = Object.entries(renames).map(([from, to]) => [to, from] as const);
  return (layer) => {
    for (const [ours, theirs] of reversed) {
      if (layer === ours) return theirs;
      if (layer.startsWith(`${ours}_`)) return `${theirs}.${layer.slice(ours.length + 1).replace(/_/g, '.')}`;
    }
    return layer.replace(/_/g, '.');
  };
}

/**
 * A model's weights as a PyTorch state dict in the safetensors format: the inverse of
 * `loadTorchWeights` (conv kernels to `[out, in, kh, kw]`, dense kernels to `[out, in]`, BatchNorm
 * to weight/bias/running_mean/running_var), so that a network trained here loads into its
 * torchvision counterpart with `model.load_state_dict(...)`.
 */
export function exportTorchWeights(model: LayersModel, options: TorchExportOptions = {}): Uint8Array {
  const toModule = options.layerToModule ?? defaultLayerToModule(options.renames ?? DEFAULT_RENAMES);
  const dtype = options.dtype ?? 'F32';
  const tensors: Record<string, TensorToWrite> = {};
  const add = (name: string, value: tf.Tensor): void => {
    const data = value.dataSync() as Float32Array;
    const bytes = dtype === 'F32' ? new Uint8Array(data.slice().buffer) : dtype === 'F16' ? encodeFloat16(data) : encodeBFloat16(data);
    tensors[name] = { dtype, shape: value.shape, bytes };
  };
  for (const layer of model.layers) {
    if (layer.weights.length === 0) continue;
    const module = toModule(layer.name);
    const kind = layer.getClassName();
    const grid = kind === 'Dense' ? flattenedFrom(layer) : undefined;
    for (const w of layer.weights) {
      const weight = w.originalName.split('/').pop() as string;
      tf.tidy(() => {
        const v = w.read();
        if (kind === 'Conv2D' && weight === 'kernel') add(`${module}.weight`, tf.transpose(v, [3, 2, 0, 1]));
        else if (kind === 'DepthwiseConv2D' && weight === 'depthwise_kernel') add(`${module}.weight`, tf.transpose(v, [2, 3, 0, 1]));
        else if (kind === 'Dense' && weight === 'kernel' && grid) {
          const [h, ww, c] = grid;
          const out = v.shape[1] as number;
          add(`${module}.weight`, tf.reshape(tf.transpose(tf.reshape(v, [h, ww, c, out]), [3, 2, 0, 1]), [out, c * h * ww]));
        } else if (kind === 'Dense' && weight === 'kernel') add(`${module}.weight`, tf.transpose(v));
        else {
          const names: Record<string, string> = { bias: 'bias', gamma: 'weight', beta: 'bias', moving_mean: 'running_mean', moving_variance: 'running_var' };
          const param = names[weight];
          if (!param) throw new Error(`exportTorchWeights: no PyTorch name for weight "${w.originalName}" of a ${kind} layer`);
          add(`${module}.${param}`, v);
        }
      });
    }
  }
  return encodeSafetensors(tensors, { format: 'pt', ...options.metadata });
}
