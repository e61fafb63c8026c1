import { createFrugal, FrugalInputError, readModelCard, type FrugalPlugin, runRecipe, trainConfig, validateRecipe } from '@frugal/core';
import { noise, strategyContext, stripes, tensorCounter, tinyPlugin, weightValues } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { transfer } from '../index.js';
import { contrastivePretextParams, trainContrastivePretext } from './contrastive-pretext.js';
import { ntXent } from './nt-xent.js';

/** The views' augmentation: seeded pixel noise, registered as a recipe names it. */
const noisePlugin: FrugalPlugin = {
  name: 'noise-views',
  register(registry) {
    registry.augmentation({ name: 'noise', description: 'Seeded pixel noise', params: z.strictObject({}), factory: () => noise });
  },
};

const root = mkdtempSync(join(tmpdir(), 'frugal-contrastive-'));
beforeAll(() => useBackend('auto'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ntXent', () => {
  it('is the cross-entropy of each row against its pair among the other rows, at temperature τ', () => {
    // rows 0 and 2 are one image's views, 1 and 3 another's; each row's candidates have cosine 0, 1, 0
    const z = tf.tensor2d([[2, 0], [0, 3], [1, 0], [0, 1]]);
    const expected = (t: number) => Math.log(1 + 2 * Math.exp(-1 / t));
    for (const t of [1, 0.5]) {
      const loss = ntXent(z, t);
      expect(loss.dataSync()[0]).toBeCloseTo(expected(t), 5);
      loss.dispose();
    }
    // views paired crosswise: each row's pair is orthogonal to it, another row alike, and the loss grows
    const swapped = tf.tensor2d([[1, 0], [0, 1], [0, 1], [1, 0]]);
    const worse = ntXent(swapped, 1);
    expect(worse.dataSync()[0]).toBeCloseTo(Math.log(2 + Math.E), 5);
    tf.dispose([z, swapped, worse]);
  });

  it('refuses an odd number of rows', () => {
    const z = tf.ones([5, 2]) as tf.Tensor2D;
    expect(() => ntXent(z, 0.5)).toThrow(/even row count/);
    z.dispose();
  });
});

describe('the contrastive-pretext strategy', () => {
  it('keeps the live tensor count flat across steps', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()], seed: 3 });
    const { callback, counts } = tensorCounter();
    const labelled = stripes(12, 1);
    const ctx = strategyContext(frugal, { labelled, unlabelled: stripes(36, 2), test: stripes(10, 3) }, trainConfig({ epochs: 3, batchSize: 8, optimizer: { lr: 0.1 } }), {
      augment: [noise],
      callbacks: [callback],
    });
    const result = await trainContrastivePretext(ctx, contrastivePretextParams.parse({ projectionDim: 8 }));
    // 48 images, 6 full batches of 8 a pass
    expect(counts).toHaveLength(18);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(result.classNames).toHaveLength(8);
    expect(result.evaluation?.count).toBe(10);
    result.model.model.dispose();
  });

  it('gives the same weights for the same seed, and refuses a batch too small to compare', async () => {
    const once = async (batchSize: number) => {
      const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()], seed: 8 });
      const ctx = strategyContext(frugal, { labelled: stripes(16, 1) }, trainConfig({ epochs: 2, batchSize, optimizer: { lr: 0.1 } }), { augment: [noise] });
      const result = await trainContrastivePretext(ctx, contrastivePretextParams.parse({ projectionDim: 4 }));
      const values = weightValues(result.model.model.weights);
      result.model.model.dispose();
      return values;
    };
    expect(await once(8)).toEqual(await once(8));
    await expect(once(1)).rejects.toThrow(/train\.batchSize is 1, .*from 2 up to the 16 images/);
    await expect(once(17)).rejects.toThrow(FrugalInputError);
  });

  it('learns features that tell the unread classes apart, and starts a later run of 3 classes', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), transfer(), noisePlugin] });
    const data = { dataset: 'stripes', labelledPerClass: 4, params: { count: 120, testCount: 30 } };
    const model = { name: 'tiny-staged', params: { width: 6 } };
    const logs: string[] = [];
    const augment = [{ op: 'noise' }];
    const pretext = validateRecipe(
      { seed: 4, data, model, augment, strategy: { name: 'contrastive-pretext', params: { projectionDim: 16, temperature: 0.5 } }, train: { epochs: 8, batchSize: 16, optimizer: { lr: 0.05 } } },
      frugal,
    );
    const run = await runRecipe(frugal, pretext, { runDir: join(root, 'pretext'), quiet: true, log: (m) => logs.push(m) });
    expect(logs).toContain('Contrastive task: 120 images, two views each, 16 images a batch');
    // the nearest class mean of the 12 labelled images' features, on the 30 test images (chance: a third)
    expect(run.evaluation?.confusion.length).toBe(3);
    expect(run.evaluation?.accuracy).toBeGreaterThan(0.6);
    expect((await readModelCard(join(root, 'pretext', 'model'))).classNames).toHaveLength(16);

    const target = validateRecipe({ seed: 4, data, model: { ...model, init: join(root, 'pretext') }, train: { epochs: 1, batchSize: 8 } }, frugal);
    const later: string[] = [];
    const next = await runRecipe(frugal, target, { log: (m) => later.push(m) });
    expect(later.find((l) => l.startsWith('Started tiny-staged'))).toMatch(/weights copied, 2 initialised afresh \(head\/kernel, head\/bias\)$/);
    expect(next.evaluation?.confusion.length).toBe(3);
  });
});
