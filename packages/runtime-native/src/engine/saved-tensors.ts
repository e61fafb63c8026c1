import { engine, Tensor } from '@tensorflow/tfjs-core';

/** The parts of tfjs-core's Engine that saving a kernel's tensors for its gradient goes through. */
interface EngineInternals {
  saveTensorsForBackwardMode(tensors: Tensor[]): Tensor[];
  nextTensorId(): number;
  incRef(t: Tensor, backend: unknown): void;
  keep<T extends Tensor>(t: T): T;
  state: { tensorInfo: WeakMap<object, { backend: unknown }> };
}

let original: EngineInternals['saveTensorsForBackwardMode'] | undefined;

/**
 * The gradient tape keeps each kernel's saved inputs and outputs as clones, and tfjs clones a tensor
 * by running the Identity kernel and recording it on the tape: about 300 kernel calls and tape
 * entries in a ResNet-20 training step, none of which the backward pass reads. These clones are new
 * references to the same data instead (the same reference count as Identity takes on every
 * backend), made without a kernel call or a tape entry. Idempotent; `restoreSavedTensors` undoes it.
 */
export function lightenSavedTensors(): void {
  const e = engine() as unknown as EngineInternals;
  if (original || typeof e.saveTensorsForBackwardMode !== 'function' || typeof e.incRef !== 'function') return;
  original = e.saveTensorsForBackwardMode;
  e.saveTensorsForBackwardMode = function (this: EngineInternals, tensors: Tensor[]): Tensor[] {
    return tensors.map((t) => {
      const reference = new Tensor(t.shape, t.dtype, t.dataId, this.nextTensorId());
      this.incRef(reference, this.state.tensorInfo.get(t.dataId)?.backend);
      return this.keep(reference);
    });
  };
}

/** Puts tfjs's own way of saving tensors back. */
export function restoreSavedTensors(): void {
  if (!original) return;
  (engine() as unknown as EngineInternals).saveTensorsForBackwardMode = original;
  original = undefined;
}
