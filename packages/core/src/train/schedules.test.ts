import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../testing/index.js';
import { clipByGlobalNorm } from './gradients.js';
import { createOptimizer } from './optimizers.js';
import { lrFactor } from './schedules.js';
import { optimizerSchema, scheduleSchema } from './train-config.js';

beforeAll(useCpu);
const sched = (s: object) => scheduleSchema.parse(s);

describe('learning-rate schedules', () => {
  it('cosine goes from 1 to minLrFactor', () => {
    const s = sched({ name: 'cosine', minLrFactor: 0.1 });
    expect(lrFactor(s, 0, 100, 10)).toBeCloseTo(1);
    expect(lrFactor(s, 50, 100, 10)).toBeCloseTo(0.55);
    expect(lrFactor(s, 100, 100, 10)).toBeCloseTo(0.1);
  });
  it('step multiplies by gamma every stepEpochs', () => {
    const s = sched({ name: 'step', stepEpochs: 2, gamma: 0.5 });
    expect([0, 19, 20, 40].map((t) => lrFactor(s, t, 100, 10))).toEqual([1, 1, 0.5, 0.25]);
  });
  it('warm-up rises linearly, then follows the cosine', () => {
    const s = sched({ name: 'warmup-cosine', warmupEpochs: 1 });
    expect(lrFactor(s, 0, 100, 10)).toBeCloseTo(0.1);
    expect(lrFactor(s, 9, 100, 10)).toBeCloseTo(1);
    expect(lrFactor(s, 100, 100, 10)).toBeCloseTo(0);
  });
  it('one-cycle peaks at pctStart', () => {
    const s = sched({ name: 'one-cycle', pctStart: 0.3 });
    expect(lrFactor(s, 0, 100, 10)).toBeCloseTo(0.04);
    expect(lrFactor(s, 30, 100, 10)).toBeCloseTo(1);
    expect(lrFactor(s, 100, 100, 10)).toBeLessThan(1e-4);
  });
});

describe('optimizers', () => {
  it('SGD with Nesterov momentum and weight decay follows torch.optim.SGD', () => {
    const opt = createOptimizer(optimizerSchema.parse({ name: 'sgd', momentum: 0.9, nesterov: true, weightDecay: 0.1 }));
    const w = tf.variable(tf.tensor2d([[1, 2]]));
    const g = tf.tensor2d([[0.5, -1]]);
    opt.step([w], [g], 0.1, ['w']);
    // d = g + wd*w = [0.6, -0.8]; buf = d; update = d + 0.9*buf = 1.9*d
    expect(Array.from(w.dataSync())).toEqual([1 - 0.1 * 1.9 * 0.6, 2 + 0.1 * 1.9 * 0.8].map(Math.fround));
    opt.dispose();
  });
  it('AdamW moves every weight by about lr on its first step and decays decoupled', () => {
    const opt = createOptimizer(optimizerSchema.parse({ name: 'adamw', weightDecay: 0 }));
    const w = tf.variable(tf.tensor2d([[1, -1]]));
    opt.step([w], [tf.tensor2d([[3, -0.01]])], 0.01, ['w']);
    const [a, b] = Array.from(w.dataSync());
    expect(a).toBeCloseTo(0.99, 5);
    expect(b).toBeCloseTo(-0.99, 5);
    opt.dispose();
  });
  it('clips the global gradient norm', () => {
    const { grads, norm } = clipByGlobalNorm([tf.tensor1d([3]), tf.tensor1d([4])], 1);
    expect(norm).toBeCloseTo(5);
    expect(grads.map((g) => g.dataSync()[0])).toEqual([expect.closeTo(0.6, 5), expect.closeTo(0.8, 5)]);
  });
});
