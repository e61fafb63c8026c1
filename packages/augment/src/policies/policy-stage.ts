import type { Rng } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';
import { applyToGroups, type RowGroup } from '../tensor/rows.js';

/** Applies a policy's op to some samples, each with its own value (angle, factor, level, ...). */
export type PolicyKernel = (images: tf.Tensor4D, values: Float32Array, rng: Rng) => tf.Tensor4D;

/** What one sample gets at one stage of a policy: an op and its value, or nothing. */
export interface StageChoice {
  readonly op: string;
  readonly value: number;
}

/** One stage of a policy: samples grouped by op, one batched kernel call per op. */
export function applyStage(
  images: tf.Tensor4D,
  choices: readonly (StageChoice | null)[],
  kernels: Readonly<Record<string, PolicyKernel>>,
  rng: Rng,
): tf.Tensor4D {
  const byOp = new Map<string, { indices: number[]; values: number[] }>();
  choices.forEach((choice, i) => {
    if (!choice) return;
    const group = byOp.get(choice.op) ?? { indices: [], values: [] };
    group.indices.push(i);
    group.values.push(choice.value);
    byOp.set(choice.op, group);
  });
  const groups: RowGroup[] = [...byOp].map(([op, group]) => {
    const kernel = kernels[op];
    if (!kernel) throw new Error(`Policy op "${op}" has no kernel`);
    return { indices: Int32Array.from(group.indices), name: op, fn: (rows) => kernel(rows, Float32Array.from(group.values), rng) };
  });
  return applyToGroups(images, groups);
}
