import { Rng, type BuiltModel, type LoopState } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patterns, tinyResNet, useTestBackend } from '../test-utils/tiny.js';
import { NeighbourLabels, neighbourLabelsSchema } from './neighbour-labels.js';

beforeAll(useTestBackend);

describe('NeighbourLabels', () => {
  const labelled = patterns(12, 1);
  const unlabelled = patterns(60, 3, { hideLabels: true });
  const options = neighbourLabelsSchema.parse({ weight: 0.25, everyEpochs: 2, neighbours: 4, dimensions: 6 });
  const model = tinyResNet(3, [8, 8, 1], new Rng(5));
  const built = { model } as unknown as BuiltModel;
  const labels = () => new NeighbourLabels(built, labelled, unlabelled, { mean: [0.5], std: [0.25] }, options, new Rng(7));
  const at = (epoch: number, step: number) => ({ epoch, step, stepsPerEpoch: 4, epochs: 6, model, stopTraining: false }) as LoopState;
  const probabilities = tf.tensor2d([
    [1, 0, 0],
    [0, 1, 0],
  ]);
  afterAll(() => {
    probabilities.dispose();
    model.dispose();
  });

  const mixed = (source: NeighbourLabels, images: number[]) => {
    const out = source.mix(probabilities, images);
    const values = Array.from(out.dataSync());
    out.dispose();
    return values;
  };

  it('leaves the weak views alone until the first labelling, then mixes in each image\'s smoothed label by its weight', () => {
    const source = labels();
    expect(mixed(source, [0, 1])).toEqual([1, 0, 0, 0, 1, 0]);
    source.onEpochBegin(at(0, 0));
    const [a, b] = [mixed(source, [0, 1]), mixed(source, [5, 1])];
    // Rows still sum to 1; each moved a quarter of the way towards its image's label; image 5's row differs from image 0's.
    for (const values of [a, b]) {
      expect(values[0]! + values[1]! + values[2]!).toBeCloseTo(1, 5);
      expect(values[3]! + values[4]! + values[5]!).toBeCloseTo(1, 5);
    }
    expect(a[0]).toBeGreaterThanOrEqual(0.75 - 1e-6);
    expect(a[0]).toBeLessThan(1);
    expect(a.slice(3)).toEqual(b.slice(3));
    expect(a.slice(0, 3)).not.toEqual(b.slice(0, 3));
  });

  it('labels again at the first step of every `everyEpochs`-th epoch only, and keeps its labels through a checkpoint', () => {
    const source = labels();
    source.onEpochBegin(at(0, 0));
    const first = mixed(source, [2, 3]);
    const saved = source.getState();
    // Train the model a little, so that a new labelling would differ.
    tf.tidy(() => model.getWeights().forEach((w, i) => model.weights[i]!.write(tf.add(w, 0.3))));
    source.onEpochBegin(at(1, 4));
    source.onEpochBegin(at(2, 9)); // a run resumed within epoch 2
    expect(mixed(source, [2, 3])).toEqual(first);
    source.onEpochBegin(at(2, 8));
    expect(mixed(source, [2, 3])).not.toEqual(first);

    const restored = labels();
    restored.setState(JSON.parse(JSON.stringify(saved)));
    expect(mixed(restored, [2, 3])).toEqual(first);
    expect(() => restored.setState({ labels: Buffer.from(new Float32Array(7).buffer).toString('base64') })).toThrow(/60 unlabelled images × 3 classes; start the run afresh/);
    restored.setState({ labels: null });
    expect(mixed(restored, [0, 1])).toEqual([1, 0, 0, 0, 1, 0]);
  });
});
