import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { stripes, useCpu } from '../testing/index.js';
import { BatchSource } from './batches.js';
import { splitLabelled } from './split.js';

beforeAll(useCpu);

describe('splitLabelled', () => {
  const set = stripes(60);
  it('keeps labelledPerClass of every class, hides the rest, and is seeded', () => {
    const s = splitLabelled(set, { labelledPerClass: 4, validationPerClass: 2, rng: new Rng(1) });
    const counts = [0, 0, 0];
    s.labelled.labels.forEach((y) => counts[y]!++);
    expect(counts).toEqual([4, 4, 4]);
    expect(s.validation?.labels.length).toBe(6);
    expect(s.unlabelled.labels.length).toBe(60 - 12 - 6);
    expect(s.unlabelled.labels.every((y) => y === -1)).toBe(true);
    expect(s.unlabelledTrueLabels.length).toBe(42);
    const again = splitLabelled(set, { labelledPerClass: 4, validationPerClass: 2, rng: new Rng(1) });
    expect(Array.from(again.labelled.pixels)).toEqual(Array.from(s.labelled.pixels));
    const other = splitLabelled(set, { labelledPerClass: 4, rng: new Rng(2) });
    expect(Array.from(other.labelled.pixels)).not.toEqual(Array.from(s.labelled.pixels));
  });

  it('with validation images alone, keeps the rest of every class labelled; with a fraction, that share of it', () => {
    const s = splitLabelled(set, { validationPerClass: 5, rng: new Rng(1) });
    expect([s.labelled.labels.length, s.validation?.labels.length, s.unlabelled.labels.length]).toEqual([45, 15, 0]);
    const half = splitLabelled(set, { labelledFraction: 0.5, validationPerClass: 5, rng: new Rng(1) });
    expect([half.labelled.labels.length, half.validation?.labels.length, half.unlabelled.labels.length]).toEqual([30, 15, 15]);
  });

  it('says which class is too small, and which field to lower', () => {
    expect(() => splitLabelled(set, { labelledPerClass: 25, rng: new Rng(1) })).toThrow(
      'Class "first" has 20 images; the split asks for 25 labelled. Lower labelledPerClass or add images.',
    );
    expect(() => splitLabelled(set, { validationPerClass: 20, rng: new Rng(1) })).toThrow(
      'Class "first" has 20 images; the split asks for 1 labelled + 20 validation. Lower validationPerClass or add images.',
    );
    expect(() => splitLabelled(set, { labelledFraction: 1, validationPerClass: 1, rng: new Rng(1) })).toThrow(/Lower labelledFraction or add images/);
  });
});

describe('BatchSource', () => {
  it('reshuffles each epoch from the seed, covers every image once, and leaves no tensor alive', () => {
    const set = stripes(10);
    const source = new BatchSource(set, { batchSize: 4, shuffle: { rng: new Rng(3) }, numClasses: 3 });
    expect(source.stepsPerEpoch).toBe(3);
    const e0 = Array.from(source.order(0));
    expect([...e0].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Array.from(source.order(1))).not.toEqual(e0);
    expect(Array.from(new BatchSource(set, { batchSize: 4, shuffle: { rng: new Rng(3) }, numClasses: 3 }).order(0))).toEqual(e0);
    const before = tf.memory().numTensors;
    for (const batch of source.batches(0, 1)) {
      expect(batch.x.shape.slice(1)).toEqual([8, 8, 1]);
      const sums = tf.sum(batch.y, 1);
      const rows = sums.dataSync();
      sums.dispose();
      expect(Array.from(rows).every((r) => Math.abs(r - 1) < 1e-6)).toBe(true);
      tf.dispose([batch.x, batch.y]);
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
