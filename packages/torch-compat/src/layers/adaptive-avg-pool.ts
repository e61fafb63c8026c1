import * as tf from '@tensorflow/tfjs-core';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Shape } from '@tensorflow/tfjs-layers/dist/keras_format/common.js';

export interface AdaptiveAvgPool2DArgs extends LayerArgs {
  /** Output height and width. */
  outputSize: [number, number];
}

/**
 * The averaging matrix `[out, size]` of PyTorch's adaptive average pooling along one axis: output
 * cell `i` averages input cells `floor(i * size / out)` to `ceil((i + 1) * size / out) - 1`
 * (windows may overlap, e.g. 14 -> 4, or repeat cells when `out > size`).
 */
export function adaptivePoolMatrix(size: number, out: number): Float32Array {
  const m = new Float32Array(out * size);
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * size) / out);
    const end = Math.ceil(((i + 1) * size) / out);
    for (let j = start; j < end; j++) m[i * size + j] = 1 / (end - start);
  }
  return m;
}

/**
 * PyTorch's `AdaptiveAvgPool2d` on NHWC tensors: any input size to a fixed output size, with the
 * same (possibly overlapping) windows. Computed as two matrix products, so it has a gradient on
 * every backend.
 */
export class AdaptiveAvgPool2D extends layers.Layer {
  static readonly className = 'FrugalAdaptiveAvgPool2D';
  readonly outputSize: [number, number];

  constructor(args: AdaptiveAvgPool2DArgs) {
    super(args);
    this.outputSize = [args.outputSize[0], args.outputSize[1]];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [s[0] ?? null, this.outputSize[0], this.outputSize[1], s[3] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const [n, h, w, c] = x.shape;
      const [oh, ow] = this.outputSize;
      const ph = tf.tensor2d(adaptivePoolMatrix(h, oh), [oh, h]);
      const pw = tf.tensor2d(adaptivePoolMatrix(w, ow), [ow, w]);
      // [n, h, w, c] -> [n, c, h, w]; pool w, then h.
      const byW = tf.matMul(tf.reshape(tf.transpose(x, [0, 3, 1, 2]), [n * c * h, w]), pw, false, true);
      const byH = tf.matMul(
        tf.reshape(tf.transpose(tf.reshape(byW, [n * c, h, ow]), [0, 2, 1]), [n * c * ow, h]),
        ph,
        false,
        true,
      );
      // [n, c, ow, oh] -> [n, oh, ow, c]
      return tf.transpose(tf.reshape(byH, [n, c, ow, oh]), [0, 3, 2, 1]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), outputSize: this.outputSize };
  }
}

export function adaptiveAvgPool(x: SymbolicTensor, name: string, outputSize: [number, number]): SymbolicTensor {
  return new AdaptiveAvgPool2D({ name, outputSize }).apply(x) as SymbolicTensor;
}
