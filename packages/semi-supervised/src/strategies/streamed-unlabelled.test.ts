import type { StrategyContext, StrategyResult } from '@frugal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { GenerationRecord } from '../self-training/self-training-state.js';
import { streamedImages } from '@frugal/core/testing';
import { patterns, tensorCounter, testFrugal, tinyContext, useTestBackend } from '../test-utils/tiny.js';

beforeAll(useTestBackend);

function weightsOf(result: StrategyResult): number[][] {
  return result.model.model.getWeights().map((w) => Array.from(w.dataSync()));
}

/** The strategy on the tiny data, with the unlabelled images in memory or read as a stream. */
async function run(strategy: string, params: Record<string, unknown>, streamed: boolean) {
  const frugal = testFrugal(3);
  const counter = tensorCounter();
  const base = tinyContext(frugal, { callbacks: [counter] });
  const unlabelled = base.data.unlabelled!;
  const stream = streamedImages(unlabelled);
  const data: StrategyContext['data'] = streamed ? { ...base.data, unlabelled: undefined, unlabelledStream: stream } : base.data;
  const result = await frugal.strategies.create(strategy, params).run({ ...base, data });
  const out = { weights: weightsOf(result), evaluation: result.evaluation, details: result.details, log: stream.log, flat: counter.flat() };
  result.model.model.dispose();
  return out;
}

const cases = [
  ['pseudo-label', { confidenceThreshold: 0.4, balance: 'top-k', perClass: 10, stepsPerEpoch: 4 }],
  ['noisy-student', { confidenceThreshold: 0.4, iterations: 1, noise: { augment: [], dropout: 0, stochasticDepthRate: 0 }, stepsPerEpoch: 3 }],
  ['fixmatch', { confidenceThreshold: 0.5, unlabelledRatio: 2, stepsPerEpoch: 4, strongAugment: [{ op: 'rand-augment', magnitude: 0.3 }] }],
  ['comatch', { confidenceThreshold: 0.5, unlabelledRatio: 2, stepsPerEpoch: 4, memorySize: 24, projectionDim: 8, strongAugment: [{ op: 'rand-augment', magnitude: 0.3 }] }],
] as const;

describe.each(cases)('%s with its unlabelled images streamed', (strategy, params) => {
  it('reads them in batches, never whole, and trains to the same weights as from memory', async () => {
    const inMemory = await run(strategy, params, false);
    const streamed = await run(strategy, params, true);
    expect(streamed.log.decoded).toBeGreaterThan(0);
    // A batch of the student's steps (4 × unlabelledRatio) or of the teacher's labelling pass (at most 64).
    expect(streamed.log.largestBatch).toBeLessThanOrEqual(64);
    expect(streamed.flat).toBe(true);
    expect(streamed.evaluation?.accuracy).toBe(inMemory.evaluation?.accuracy);
    expect(streamed.weights).toEqual(inMemory.weights);
    if (strategy === 'pseudo-label' || strategy === 'noisy-student') {
      const stats = (g: typeof inMemory) => (g.details?.generations as GenerationRecord[])[1]?.pseudoLabels;
      // The same images selected; their confidences agree to float32 rounding (a softmax on the backend, then its log).
      expect({ ...stats(streamed), meanConfidence: 0 }).toEqual({ ...stats(inMemory), meanConfidence: 0 });
      expect(stats(streamed)?.meanConfidence).toBeCloseTo(stats(inMemory)?.meanConfidence ?? NaN, 6);
    }
  });
});

describe('the queue parameter', () => {
  it('is refused with in-memory unlabelled images, and without a labelling service', async () => {
    const frugal = testFrugal(3);
    const p = { confidenceThreshold: 0.4, stepsPerEpoch: 2, queue: 'redis://127.0.0.1:6379' };
    const ctx = tinyContext(frugal);
    await expect(frugal.strategies.create('pseudo-label', p).run(ctx)).rejects.toThrow(/queue labels an unlabelled folder .* in memory/);
    const streamedCtx = { ...ctx, data: { ...ctx.data, unlabelled: undefined, unlabelledStream: streamedImages(patterns(60, 3, { hideLabels: true })) } };
    await expect(frugal.strategies.create('pseudo-label', p).run(streamedCtx)).rejects.toThrow(/needs a run directory/);
  });

  it('takes only a redis:// URL', () => {
    const frugal = testFrugal(3);
    expect(() => frugal.strategies.create('noisy-student', { queue: 'http://x' })).toThrow(/queue.*expected redis:\/\/HOST:PORT/s);
  });
});
