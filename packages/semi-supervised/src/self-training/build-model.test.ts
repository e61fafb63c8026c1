import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { patterns, testFrugal, useTestBackend } from '../test-utils/tiny.js';
import type { Frugal, Rng } from '@frugal/core';
import { copyWeights } from './build-model.js';

beforeAll(useTestBackend);

const shape = patterns(3).shape;
const buildModel = (frugal: Frugal, name: string, params: Record<string, unknown>, rng: Rng) =>
  frugal.models.create(name, { ...params, numClasses: 3, inputShape: [...shape] }, { rng });

describe('models built from a stream / copyWeights', () => {
  it('builds the same weights from the same stream, whatever was built before', () => {
    const frugal = testFrugal(1);
    const rng = frugal.rng.child('x');
    const a = buildModel(frugal, 'tiny-a', {}, rng.child('g'));
    buildModel(frugal, 'tiny-b', {}, rng.child('other')).model.dispose();
    const b = buildModel(frugal, 'tiny-a', {}, rng.child('g'));
    expect(b.model.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(a.model.getWeights().map((w) => Array.from(w.dataSync())));
    a.model.dispose();
    b.model.dispose();
  });

  it('matches weights by name when noise layers reorder them', () => {
    const frugal = testFrugal(1);
    const rng = frugal.rng.child('x');
    const teacher = buildModel(frugal, 'tiny-a', {}, rng.child('t'));
    const student = buildModel(frugal, 'tiny-a', { dropout: 0.2, stochasticDepthRate: 0.2 }, rng.child('s'));
    copyWeights(teacher, student, { sameBuild: false, what: 'test' });
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 3);
    const [p, q] = [teacher, student].map((m) => Array.from((m.model.predict(x) as tf.Tensor).dataSync()));
    expect(q).toEqual(p);
    tf.dispose(x);
    teacher.model.dispose();
    student.model.dispose();
  });

  it('refuses to guess between differently built models without layer names', () => {
    const frugal = testFrugal(1);
    const rng = frugal.rng.child('x');
    const teacher = buildModel(frugal, 'tiny-anon', {}, rng.child('t'));
    const student = buildModel(frugal, 'tiny-anon', { stochasticDepthRate: 0.2 }, rng.child('s'));
    expect(() => copyWeights(teacher, student, { sameBuild: false, what: 'noisy-student generation 1' })).toThrow(
      /noisy-student generation 1: the student starts from the teacher's weights .* cannot be matched.*Use studentInit: "fresh"/,
    );
    const twin = buildModel(frugal, 'tiny-anon', {}, rng.child('u'));
    expect(() => copyWeights(teacher, twin, { sameBuild: true, what: 'x' })).not.toThrow();
    for (const m of [teacher, student, twin]) m.model.dispose();
  });
});
