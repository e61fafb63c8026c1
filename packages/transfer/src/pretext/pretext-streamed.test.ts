import { createFrugal, trainConfig, type StrategyContext, type StrategyData, type StrategyResult } from '@frugal/core';
import { noise, strategyContext, streamedImages, stripes, tensorCounter, tinyPlugin, weightValues, type StreamLog } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { transfer } from '../index.js';
import { contrastivePretextParams, trainContrastivePretext } from './contrastive-pretext.js';
import { rotationPretextParams, trainRotationPretext } from './rotation-pretext.js';

beforeAll(() => useBackend('auto'));

const labelled = stripes(6, 1);
const unlabelled = stripes(60, 2);
const test = stripes(12, 3);

type Pretext = (ctx: StrategyContext) => Promise<StrategyResult>;
const pretexts: [string, Pretext][] = [
  ['rotation-pretext', (ctx) => trainRotationPretext(ctx, rotationPretextParams.parse({ images: 40 }))],
  ['contrastive-pretext', (ctx) => trainContrastivePretext(ctx, contrastivePretextParams.parse({ images: 50, projectionDim: 8 }))],
];

/** A pretext of 3 epochs on the run's images, the unlabelled ones in memory or read in batches. */
async function train(pretext: Pretext, data: Partial<StrategyData>) {
  const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()], seed: 6 });
  const { callback, counts } = tensorCounter();
  const ctx = strategyContext(frugal, { labelled, test, ...data }, trainConfig({ epochs: 3, batchSize: 8, optimizer: { lr: 0.05 } }), {
    augment: [noise],
    callbacks: [callback],
  });
  const result = await pretext(ctx);
  const weights = weightValues(result.model.model.weights);
  result.model.model.dispose();
  return { weights, counts, accuracy: result.evaluation?.accuracy };
}

describe.each(pretexts)('%s on unlabelled images read from disk in batches', (_name, pretext) => {
  it('never loads them whole, keeps live tensors flat, and trains the same weights as on the images in memory', async () => {
    const log: StreamLog = { decoded: 0, largestBatch: 0 };
    const streamed = await train(pretext, { unlabelledStream: streamedImages(unlabelled, log) });
    const inMemory = await train(pretext, { unlabelled });
    expect(log.decoded).toBeGreaterThan(0);
    expect(new Set(streamed.counts.slice(1)).size).toBe(1);
    expect(streamed.weights).toEqual(inMemory.weights);
    expect(streamed.accuracy).toBe(inMemory.accuracy);
  });

  it('leaves out the images that do not decode, and trains on the rest', async () => {
    const streamed = await train(pretext, { unlabelledStream: streamedImages(unlabelled, undefined, new Set([0, 1, 2, 30])) });
    const whole = await train(pretext, { unlabelled });
    expect(streamed.weights).not.toEqual(whole.weights);
    expect(streamed.weights.flat().every(Number.isFinite)).toBe(true);
  });
});
