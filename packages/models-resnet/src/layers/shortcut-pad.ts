import * as tf from '@tensorflow/tfjs-core';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Shape } from '@tensorflow/tfjs-layers/dist/keras_format/common.js';

export interface ShortcutPadArgs extends LayerArgs {
  stride: number;
  /** Channels of the output; the extra ones are zeros, split evenly before and after. */
  outChannels: number;
}

/**
 * `x[:, ::s, ::s, :]` from pad, reshape and slice (tfjs has no gradient for StridedSlice): the
 * first of every `s` rows and columns, the last partial group included.
 */
function subsample(x: tf.Tensor4D, s: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const oh = Math.ceil(h / s);
  const ow = Math.ceil(w / s);
  const padded = oh * s === h && ow * s === w ? x : tf.pad(x, [[0, 0], [0, oh * s - h], [0, ow * s - w], [0, 0]]);
  const grouped = tf.reshape(padded, [n, oh, s, ow, s, c]);
  return tf.reshape(tf.slice(grouped, [0, 0, 0, 0, 0, 0], [n, oh, 1, ow, 1, c]), [n, oh, ow, c]);
}

/**
 * The parameter-free identity shortcut of He et al. (2016), option A, used by the CIFAR ResNets:
 * spatial subsampling by `stride` (`x[:, ::s, ::s]`) and zero channels padded to `outChannels`.
 */
export class ShortcutPad extends layers.Layer {
  static readonly className = 'FrugalShortcutPad';
  readonly stride: number;
  readonly outChannels: number;

  constructor(args: ShortcutPadArgs) {
    super(args);
    this.stride = args.stride;
    this.outChannels = args.outChannels;
  }

  private padding(inChannels: number): [number, number] {
    const extra = this.outChannels - inChannels;
    if (extra < 0) {
      throw new RangeError(`ShortcutPad "${this.name}": ${inChannels} input channels exceed outChannels ${this.outChannels}`);
    }
    const before = Math.floor(extra / 2);
    return [before, extra - before];
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const s = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const down = (v: number | null | undefined): number | null => (v == null ? null : Math.ceil(v / this.stride));
    return [s[0] ?? null, down(s[1]), down(s[2]), this.outChannels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
    return tf.tidy(() => {
      const c = x.shape[3];
      const sub = this.stride === 1 ? x : subsample(x, this.stride);
      const [before, after] = this.padding(c);
      return tf.pad(sub, [[0, 0], [0, 0], [0, 0], [before, after]]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), stride: this.stride, outChannels: this.outChannels };
  }
}

export function shortcutPad(x: SymbolicTensor, name: string, stride: number, outChannels: number): SymbolicTensor {
  return new ShortcutPad({ name, stride, outChannels }).apply(x) as SymbolicTensor;
}
