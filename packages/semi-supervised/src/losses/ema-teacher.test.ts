import { Rng, type BuiltModel } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyResNet, useTestBackend } from '../test-utils/tiny.js';
import { EmaTeacher } from './ema-teacher.js';

beforeAll(useTestBackend);

const build = (seed: number, width = 4): BuiltModel => ({ model: tinyResNet(3, [8, 8, 1], new Rng(seed), { width }), featureDim: width });
const values = (ws: tf.Tensor[]) => ws.map((w) => Array.from(w.dataSync()));

describe('EmaTeacher', () => {
  it('starts at the model, then follows it as decay · teacher + (1 − decay) · model, with no tensor left behind', () => {
    const live = build(1);
    const teacher = new EmaTeacher(live, build(2), 0.75);
    teacher.start();
    const started = teacher.weights();
    expect(values(started)).toEqual(values(live.model.weights.map((w) => w.read())));
    // Move the model: every weight + 1.
    tf.tidy(() => live.model.weights.forEach((w) => w.write(tf.add(w.read(), 1))));
    const before = tf.memory().numTensors;
    teacher.onStepEnd();
    teacher.onStepEnd();
    expect(tf.memory().numTensors).toBe(before);
    const after = teacher.weights();
    // Two steps towards a model 1 higher: 1 − 0.75² = 0.4375 of the way.
    after.forEach((w, i) => {
      const expected = Array.from((started[i] as tf.Tensor).dataSync()).map((v) => v + 0.4375);
      Array.from(w.dataSync()).forEach((v, j) => expect(v).toBeCloseTo(expected[j] as number, 5));
    });
    const logits = teacher.predict(tf.zeros([2, 8, 8, 1]));
    expect(logits.shape).toEqual([2, 3]);
    tf.dispose([...started, ...after, logits]);
    teacher.dispose();
    live.model.dispose();
  });

  it('saves and restores its weights exactly, and refuses a state of another model', () => {
    const live = build(1);
    const a = new EmaTeacher(live, build(2), 0.5);
    a.start();
    tf.tidy(() => live.model.weights.forEach((w) => w.write(tf.mul(w.read(), 3))));
    a.onStepEnd();
    const state = JSON.parse(JSON.stringify(a.getState())) as unknown;
    const b = new EmaTeacher(live, build(3), 0.5);
    b.setState(state);
    const [wa, wb] = [a.weights(), b.weights()];
    expect(values(wb)).toEqual(values(wa));
    expect(() => b.setState({ weights: ['AAAA'] })).toThrow(/does not match/);
    tf.dispose([...wa, ...wb]);
    [a, b].forEach((t) => t.dispose());
    live.model.dispose();
  });

  it('refuses a teacher built differently from the model', () => {
    const live = build(1);
    const other = build(2, 6);
    expect(() => new EmaTeacher(live, other, 0.9)).toThrow(/not built like/);
    other.model.dispose();
    live.model.dispose();
  });
});
