import { createFrugal, fileHandler, imageBatch, Rng, splitLabelled, trainConfig, withInferenceModel, type Normalization } from '@frugal/core';
import { noise, strategyContext, stripes, tensorCounter, tinyPlugin, tinyStagedNet, weightValues } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';
import type { LoadedModel } from '@frugal/transfer';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainDistillation } from '../distill.js';
import { distillParams } from '../params.js';
import { ensembleTeacher } from './ensemble.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-ensemble-'));
const normalization: Normalization = { mean: [0.5], std: [0.25] };
const member = (seed: number, shape: [number, number, number] = [8, 8, 1]): LoadedModel => ({
  model: tinyStagedNet(3, shape, new Rng(seed), 4),
  normalization,
  description: `net ${seed}`,
});

beforeAll(async () => {
  await useBackend('auto');
  // Two networks saved apart, under the same model name, as two runs of one recipe save them.
  for (const seed of [1, 2]) await member(seed).model.save(fileHandler(join(root, `net-${seed}`)));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ensembleTeacher', () => {
  it('gives the mean of its members\' logits', () => {
    const members = [member(1), member(2), member(3)];
    const ensemble = ensembleTeacher(members);
    const x = imageBatch(stripes(6, 4), [0, 1, 2, 3, 4, 5]);
    const outputs = members.map((m) => m.model.predict(x) as tf.Tensor2D);
    const mean = tf.tidy(() => tf.div(tf.addN(outputs), members.length));
    const expected = mean.dataSync();
    const got = ensemble.model.predict(x) as tf.Tensor2D;
    expect(got.shape).toEqual([6, 3]);
    got.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    expect(ensemble.description).toBe('an ensemble of 3 (net 1; net 2; net 3)');
    // as the cached teacher outputs run it: in inference mode, batch norms folded
    const folded = withInferenceModel(ensemble.model, (inference) => inference.predict(x) as tf.Tensor2D);
    folded.dataSync().forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 4));
    tf.dispose([x, mean, got, folded, ...outputs]);
  });

  it('names the member that takes other images', () => {
    expect(() => ensembleTeacher([member(1), member(2, [8, 8, 3])])).toThrow(
      /net 2 takes 8×8×3 images .*, and net 1 8×8×1 .*; an ensemble's members must take the same images/,
    );
    expect(() => ensembleTeacher([member(1), { ...member(2), normalization: { mean: [0], std: [1] } }])).toThrow(/net 2 takes 8×8×1 images normalised as/);
  });
});

describe('an ensemble teacher in the distill strategy', () => {
  const split = splitLabelled(stripes(60, 1), { labelledPerClass: 4, rng: new Rng(5) });
  const params = distillParams.parse({
    teacher: { type: 'ensemble', members: [1, 2].map((seed) => ({ type: 'saved-model', path: join(root, `net-${seed}`) })) },
    temperature: 1,
    teacherLogits: 'on-the-fly',
  });

  it('loads its members from their folders and teaches on the fly, its tensor count flat across steps', async () => {
    const { callback, counts } = tensorCounter();
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 3 });
    const ctx = strategyContext(frugal, { labelled: split.labelled, unlabelled: split.unlabelled, test: stripes(30, 2) }, trainConfig({ epochs: 2, batchSize: 8, optimizer: { lr: 0.1 } }), {
      model: { name: 'tiny-staged', params: { width: 2 } },
      augment: [noise],
      callbacks: [callback],
    });
    const result = await trainDistillation(ctx, params);
    expect(result.details?.teacher).toMatch(/^an ensemble of 2 \(saved model .*net-1.*; saved model .*net-2/);
    expect(result.details?.teacherOutputs).toBe('on-the-fly');
    expect(counts).toHaveLength(16); // 2 epochs of 60 images in batches of 8
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it('keeps its members as they were', async () => {
    const teacher = ensembleTeacher([member(1), member(2)]);
    const before = weightValues(teacher.model.weights);
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 4 });
    const ctx = strategyContext(frugal, { labelled: split.labelled, unlabelled: split.unlabelled }, trainConfig({ epochs: 1, batchSize: 8, optimizer: { lr: 0.1 } }), {
      model: { name: 'tiny-staged', params: { width: 2 } },
      augment: [noise],
    });
    await trainDistillation(ctx, params, { loaded: teacher });
    expect(weightValues(teacher.model.weights)).toEqual(before);
  });

  it('is not given a hint, nor fewer than two members', () => {
    const members = [{ type: 'saved-model', path: 'a' }];
    expect(() => distillParams.parse({ teacher: { type: 'ensemble', members: [...members, ...members] }, hint: {} })).toThrow(
      /an ensemble teacher has no one layer to match; remove hint/,
    );
    expect(() => distillParams.parse({ teacher: { type: 'ensemble', members } })).toThrow(/members/);
  });
});
