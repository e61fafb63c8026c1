import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';
import type { Augmentation, Batch } from '../types.js';

/**
 * Runs an augmentation pipeline on a batch in order, each op with its own child stream of `rng`.
 * Batch-level ops (MixUp, CutMix) also mix the targets. Returns a new batch; the input batch is
 * left to its owner.
 */
export function augmentBatch(pipeline: readonly Augmentation[], batch: Batch, rng: Rng): Batch {
  let current: Batch = batch;
  pipeline.forEach((op, i) => {
    const stream = rng.child(`${i}:${op.name}`);
    const next: Batch = op.applyBatch ? op.applyBatch(current, stream) : { x: op.apply(current.x, stream), y: current.y };
    // An op that leaves the targets alone passes the input's on: those stay the owner's.
    if (next.x !== current.x && current.x !== batch.x) current.x.dispose();
    if (next.y !== current.y && current.y !== batch.y) current.y.dispose();
    current = next;
  });
  if (current === batch) return { x: tf.clone(batch.x), y: tf.clone(batch.y) };
  return current;
}
