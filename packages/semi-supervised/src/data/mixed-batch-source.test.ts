import { Rng, subset, type ImageSet } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { patterns, useTestBackend } from '../test-utils/tiny.js';
import { MixedBatchSource, type MixedBatch } from './mixed-batch-source.js';

beforeAll(useTestBackend);

const labelled = patterns(6, 1);
const unlabelled = patterns(20, 3, { hideLabels: true });

const subsetOf = (set: ImageSet, indices: number[]) => subset(set, Int32Array.from(indices));

function source(seed = 1, targets?: Float32Array) {
  return new MixedBatchSource(labelled, unlabelled, {
    labelledBatchSize: 2,
    unlabelledBatchSize: 6,
    numClasses: 3,
    rng: new Rng(seed),
    unlabelledTargets: targets,
  });
}

describe('MixedBatchSource', () => {
  it('covers the larger side once per epoch and cycles the smaller one', () => {
    const s = source();
    expect(s.stepsPerEpoch).toBe(4); // ceil(20 / 6) > ceil(6 / 2)
    const steps = s.batchIndices(0);
    const u = steps.flatMap((b) => Array.from(b.unlabelled));
    expect(new Set(u.slice(0, 20)).size).toBe(20); // one full pass first
    const l = steps.flatMap((b) => Array.from(b.labelled));
    expect(l).toHaveLength(8);
    expect(new Set(l.slice(0, 6)).size).toBe(6);
    expect(steps.every((b) => b.labelled.length === 2 && b.unlabelled.length === 6)).toBe(true);
  });

  it('with balanceClasses, draws the labelled classes equally often, the unlabelled side as before', () => {
    // 9 labelled images of class 0, 1 of class 1, 2 of class 2 (patterns label image i as i % 3).
    const uneven = subsetOf(patterns(30, 1), [0, 3, 6, 9, 12, 15, 18, 21, 24, 1, 2, 5]);
    const make = (balanceClasses: boolean) =>
      new MixedBatchSource(uneven, unlabelled, { labelledBatchSize: 4, unlabelledBatchSize: 4, numClasses: 3, rng: new Rng(2), stepsPerEpoch: 6, balanceClasses });
    const classCounts = (s: MixedBatchSource) => {
      const counts = [0, 0, 0];
      for (const step of s.batchIndices(0)) for (const j of step.labelled) counts[uneven.labels[j] as number]! += 1;
      return counts;
    };
    expect(classCounts(make(true))).toEqual([8, 8, 8]);
    expect(classCounts(make(false))).toEqual([18, 2, 4]);
    expect(make(true).batchIndices(0).map((b) => Array.from(b.unlabelled))).toEqual(make(false).batchIndices(0).map((b) => Array.from(b.unlabelled)));
  });

  it('is stateless: the same (seed, epoch) gives the same batches, other epochs differ', () => {
    const a = source(5).batchIndices(3);
    const b = source(5).batchIndices(3);
    expect(a.map((s) => Array.from(s.unlabelled))).toEqual(b.map((s) => Array.from(s.unlabelled)));
    const c = source(5).batchIndices(4);
    expect(c.map((s) => Array.from(s.unlabelled))).not.toEqual(a.map((s) => Array.from(s.unlabelled)));
  });

  it('builds labelled one-hot rows followed by the unlabelled targets, and skips steps on resume', () => {
    const targets = new Float32Array(20 * 3);
    for (let i = 0; i < 20; i++) targets[i * 3 + 2] = 1; // every unlabelled image "class 2"
    const s = source(2, targets);
    const all = [...(s.batches(1) as Iterable<MixedBatch>)];
    const later = [...(s.batches(1, 2) as Iterable<MixedBatch>)];
    expect(later).toHaveLength(2);
    const first = all[0] as (typeof all)[number];
    expect(first.labelledRows).toBe(2);
    expect(first.x.shape).toEqual([8, 8, 8, 1]);
    const y = first.y.arraySync();
    const idx = s.batchIndices(1)[0] as { labelled: Int32Array };
    expect(y.slice(0, 2)).toEqual(Array.from(idx.labelled, (j) => [0, 1, 2].map((c) => (c === labelled.labels[j] ? 1 : 0))));
    expect(y.slice(2)).toEqual(new Array(6).fill([0, 0, 1]));
    expect(Array.from((later[0] as (typeof all)[number]).x.dataSync())).toEqual(Array.from((all[2] as (typeof all)[number]).x.dataSync()));
    for (const b of [...all, ...later]) tf.dispose([b.x, b.y]);
  });

  it('gives zero target rows when the unlabelled images have none (FixMatch)', () => {
    const b = [...(source().batches(0) as Iterable<MixedBatch>)][0] as { x: tf.Tensor; y: tf.Tensor2D };
    expect(b.y.arraySync().slice(2)).toEqual(new Array(6).fill([0, 0, 0]));
    tf.dispose([b.x, b.y]);
  });

  it('explains what is wrong with its inputs', () => {
    expect(() => new MixedBatchSource(labelled, patterns(0, 1), { labelledBatchSize: 2, unlabelledBatchSize: 2, numClasses: 3, rng: new Rng(1) })).toThrow(
      /unlabelled set is empty/,
    );
    expect(() => new MixedBatchSource(labelled, unlabelled, { labelledBatchSize: 2, unlabelledBatchSize: 2, numClasses: 3, rng: new Rng(1), unlabelledTargets: new Float32Array(5) })).toThrow(
      /5 target values for 20 images × 3 classes/,
    );
    expect(() => new MixedBatchSource(labelled, patterns(4, 1, { size: 6 }), { labelledBatchSize: 2, unlabelledBatchSize: 2, numClasses: 3, rng: new Rng(1) })).toThrow(
      /labelled images are 8×8×1, unlabelled 6×6×1/,
    );
  });
});
