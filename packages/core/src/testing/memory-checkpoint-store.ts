import * as tf from '@tensorflow/tfjs-core';
import type { CheckpointStore } from '../services/checkpoint-store.js';
import type { CheckpointState, CheckpointTensors } from '../train/checkpoint.js';

interface Kept {
  readonly path: string;
  readonly state: CheckpointState;
  readonly tensors: CheckpointTensors;
}

function cloneTensors(t: CheckpointTensors): CheckpointTensors {
  return {
    weights: t.weights.map((w) => w.clone()),
    optimizers: t.optimizers.map((o) => ({ step: o.step, tensors: Object.fromEntries(Object.entries(o.tensors).map(([k, v]) => [k, v.clone()])) })),
    ema: t.ema?.map((e) => e.clone()),
  };
}

function disposeTensors(t: CheckpointTensors): void {
  tf.dispose([...t.weights, ...(t.ema ?? []), ...t.optimizers.flatMap((o) => Object.values(o.tensors))]);
}

/**
 * Checkpoints kept in memory, per folder: a store for tests (nothing touches the disk), provided to
 * an instance by a plugin: `{ name: 'memory-checkpoints', register: (r) => r.provide(CHECKPOINT_STORE, store) }`.
 * `dispose()` releases the tensors it holds.
 */
export function memoryCheckpointStore(): CheckpointStore & { readonly saved: ReadonlyMap<string, readonly Kept[]>; dispose(): void } {
  const saved = new Map<string, Kept[]>();
  return {
    saved,
    async save(dir, state, tensors, keep) {
      const list = saved.get(dir) ?? [];
      const path = `memory:${dir}/epoch-${state.epoch}-step-${state.step}`;
      list.push({ path, state: structuredClone(state), tensors: cloneTensors(tensors) });
      while (list.length > keep) disposeTensors((list.shift() as Kept).tensors);
      saved.set(dir, list);
      return path;
    },
    async loadLatest(dir) {
      const latest = saved.get(dir)?.at(-1);
      return latest ? { path: latest.path, state: structuredClone(latest.state), tensors: cloneTensors(latest.tensors), skipped: [] } : undefined;
    },
    dispose() {
      for (const list of saved.values()) list.forEach((k) => disposeTensors(k.tensors));
      saved.clear();
    },
  };
}
