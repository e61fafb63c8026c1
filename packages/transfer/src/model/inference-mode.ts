import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

type Layer = LayersModel['layers'][number];
type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

/**
 * Runs chosen layers in inference mode while the rest of the network trains: BatchNorm normalises
 * with (and keeps) its running statistics, dropout and drop-path pass through. A frozen stage must
 * not drift through its BatchNorm statistics while the layers above it learn.
 *
 * Each layer's `call` is wrapped for as long as the switch is installed; `frozen(layer)` is asked
 * at every call, so stages can thaw between epochs.
 */
export class InferenceModeSwitch {
  private readonly wrapped: Layer[] = [];

  constructor(layers: readonly Layer[], frozen: (layer: Layer) => boolean) {
    for (const layer of layers) {
      const original = (layer.call as Call).bind(layer);
      const call: Call = (inputs, kwargs) => original(inputs, frozen(layer) ? { ...kwargs, training: false } : kwargs);
      Object.defineProperty(layer, 'call', { value: call, configurable: true, writable: true });
      this.wrapped.push(layer);
    }
  }

  /** Puts the layers' own `call` back. */
  remove(): void {
    for (const layer of this.wrapped) delete (layer as unknown as { call?: Call }).call;
    this.wrapped.length = 0;
  }
}
