import { createFrugal, runRecipe, splitLabelled, Rng, trainConfig, validateRecipe, type Frugal, type ImageSet } from '@frugal/core';
import type { LoadedModel } from '@frugal/transfer';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileHandler } from '@frugal/core';
import { distill } from './index.js';
import { trainDistillation } from './distill.js';
import { distillParams, type DistillParamsInput } from './params.js';
import { noise, strategyContext, stripes, tensorCounter, tinyPlugin, weightValues } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';

const root = mkdtempSync(join(tmpdir(), 'frugal-distill-'));
const teacherRun = join(root, 'teacher');
const split = splitLabelled(stripes(60, 1), { labelledPerClass: 4, validationPerClass: 2, rng: new Rng(5) });
const data = { labelled: split.labelled, unlabelled: split.unlabelled, validation: split.validation, test: stripes(30, 2) };

beforeAll(async () => {
  await useBackend('auto');
  // a wider teacher trained with every label
  const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 1 });
  const recipe = validateRecipe(
    { data: { dataset: 'stripes', params: { count: 60 } }, model: { name: 'tiny-staged', params: { width: 8 } }, train: { epochs: 6, batchSize: 8, optimizer: { lr: 0.1 } } },
    frugal,
  );
  await runRecipe(frugal, recipe, { runDir: teacherRun, quiet: true });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function loadTeacher(): Promise<LoadedModel> {
  const model = await tfl.loadLayersModel(fileHandler(join(teacherRun, 'model')));
  return { model, normalization: { mean: [0.5], std: [0.25] }, description: 'test teacher' };
}

const params = (extra: Partial<DistillParamsInput> = {}) =>
  distillParams.parse({ teacher: { type: 'saved-model', path: join(teacherRun, 'model') }, ...extra });

function context(frugal: Frugal, options: { epochs?: number; augment?: boolean; callbacks?: ReturnType<typeof tensorCounter>['callback'][]; set?: Partial<typeof data> } = {}) {
  return strategyContext(frugal, { ...data, ...options.set }, trainConfig({ epochs: options.epochs ?? 2, batchSize: 8, optimizer: { lr: 0.1 } }), {
    model: { name: 'tiny-staged', params: { width: 2 } },
    augment: options.augment ? [noise] : [],
    callbacks: options.callbacks ?? [],
  });
}

describe('trainDistillation', () => {
  it.each([
    ['cached', false],
    ['on the fly, with augmentation', true],
  ])('never updates the teacher, whose BatchNorm stays in inference mode (%s)', async (_, augment) => {
    const teacher = await loadTeacher();
    const before = weightValues(teacher.model.weights);
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 2 });
    const result = await trainDistillation(context(frugal, { augment }), params(), { loaded: teacher });
    expect(result.details).toMatchObject({ teacherOutputs: augment ? 'on-the-fly' : 'cached', transferSet: { labelled: 12, unlabelled: 42 } });
    expect(teacher.model.weights.some((w) => w.name.includes('moving_variance'))).toBe(true);
    expect(weightValues(teacher.model.weights)).toEqual(before);
  });

  it('teaches the student from labelled and unlabelled images', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 3 });
    const result = await trainDistillation(context(frugal, { epochs: 6 }), params({ temperature: 2 }), { loaded: await loadTeacher() });
    const history = result.details?.history as Record<string, number>[];
    expect(history[5]?.kd).toBeLessThan(history[0]?.kd as number);
    expect(history[5]?.agreement).toBeGreaterThan(0.6);
    expect(result.details?.teacherAccuracy).toBeGreaterThan(0.9);
    expect(result.evaluation?.accuracy).toBeGreaterThan(0.6);
  });

  it('computes the same with cached teacher outputs as on the fly when inputs are not augmented', async () => {
    const run = async (teacherLogits: 'cache' | 'on-the-fly') => {
      const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 4 });
      const result = await trainDistillation(context(frugal), params({ teacherLogits }), { loaded: await loadTeacher() });
      return weightValues(result.model.model.weights).flat();
    };
    const cached = await run('cache');
    const live = await run('on-the-fly');
    cached.forEach((v, i) => expect(v).toBeCloseTo(live[i] as number, 4));
  });

  it.each([
    ['cached', false, undefined],
    ['on the fly', true, undefined],
    ['with a hint on feature maps', true, { studentLayer: 'stage2_relu', teacherLayer: 'stage2_relu' }],
  ])('keeps the live tensor count flat across steps (%s)', async (_, augment, hint) => {
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 5 });
    const { callback, counts } = tensorCounter();
    await trainDistillation(context(frugal, { augment, callbacks: [callback] }), params({ hint }), { loaded: await loadTeacher() });
    expect(counts).toHaveLength(14);
    expect(new Set(counts.slice(1)).size).toBe(1);
  });

  it.each([
    ['a saved model, with a hint', () => params({ hint: { studentLayer: 'stage2_relu', teacherLayer: 'stage2_relu' } })],
    ['an ensemble', () => params({ teacher: { type: 'ensemble', members: [1, 2].map(() => ({ type: 'saved-model' as const, path: join(teacherRun, 'model') })) } })],
    ['one trained here', () => params({ teacher: { type: 'train', model: { name: 'tiny-staged', params: { width: 4 } }, train: { epochs: 1 } } })],
  ])('frees the teacher it loaded or trained (%s) and the hint adapter: the student is all it leaves', async (_, make) => {
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 5 });
    const before = tf.memory().numTensors;
    const result = await trainDistillation(context(frugal, { epochs: 1 }), make());
    expect(tf.memory().numTensors - before).toBe(result.model.model.weights.length);
    result.model.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is deterministic: same seed, same student', async () => {
    const run = async () => {
      const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 6 });
      const result = await trainDistillation(context(frugal, { augment: true }), params({ hint: {} }), { loaded: await loadTeacher() });
      return weightValues(result.model.model.weights);
    };
    expect(await run()).toEqual(await run());
  });

  it('matches features through a 1×1 adapter: the hint term falls', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 7 });
    const result = await trainDistillation(
      context(frugal, { epochs: 5 }),
      params({ hint: { studentLayer: 'stage2_relu', teacherLayer: 'stage2_relu', weight: 1 } }),
      { loaded: await loadTeacher() },
    );
    const history = result.details?.history as Record<string, number>[];
    expect(history[4]?.hint).toBeLessThan((history[0]?.hint as number) * 0.8);
    // the adapter trains with the student but is not part of the saved student
    expect(result.model.model.layers.map((l) => l.name)).not.toContain('hint_adapter');
  });

  it('says why a hint cannot match layers of different resolution', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 7 });
    await expect(
      trainDistillation(context(frugal), params({ hint: { studentLayer: 'stage2_relu', teacherLayer: 'features' } }), { loaded: await loadTeacher() }),
    ).rejects.toThrow(/cannot match student layer "stage2_relu" \[8, 8, 2\] to teacher layer "features" \[32\]/);
  });

  it('uses the labelled images alone when asked, tracking accuracy', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 8 });
    const result = await trainDistillation(context(frugal), params({ unlabelled: false }), { loaded: await loadTeacher() });
    expect(result.details?.transferSet).toEqual({ labelled: 12, unlabelled: 0 });
    expect((result.details?.history as Record<string, number>[])[1]).toHaveProperty('accuracy');
  });

  it('balances the classes of a labelled transfer set (train.balanceClasses), and says why it cannot with unlabelled images in it', async () => {
    const notes: string[] = [];
    const balanced = (frugal: Frugal) => ({
      ...context(frugal, { epochs: 1 }),
      train: trainConfig({ epochs: 1, batchSize: 8, optimizer: { lr: 0.1 }, balanceClasses: true }),
      log: (m: string) => notes.push(m),
    });
    await trainDistillation(balanced(createFrugal({ plugins: [tinyPlugin()], seed: 8 })), params({ unlabelled: false }), { loaded: await loadTeacher() });
    expect(notes.filter((m) => m.startsWith('train.balanceClasses'))).toEqual([]);
    await trainDistillation(balanced(createFrugal({ plugins: [tinyPlugin()], seed: 8 })), params(), { loaded: await loadTeacher() });
    expect(notes).toContain("train.balanceClasses: the transfer set's 42 unlabelled images have no class to balance, so its batches are drawn uniformly");
  });

  it('limits the unlabelled images to a seeded subset', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 8 });
    const result = await trainDistillation(context(frugal, { epochs: 1 }), params({ unlabelledLimit: 10 }), { loaded: await loadTeacher() });
    expect(result.details?.transferSet).toEqual({ labelled: 12, unlabelled: 10 });
  });

  it('rejects a teacher for other classes', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 9 });
    const twoClasses = (set: ImageSet): ImageSet => ({ ...set, classNames: ['a', 'b'], labels: set.labels.map((y) => y % 2) });
    const ctx = context(frugal, { set: { labelled: twoClasses(data.labelled), validation: undefined, test: undefined } });
    await expect(trainDistillation(ctx, params(), { loaded: await loadTeacher() })).rejects.toThrow(
      /predicts 3 classes; the data has 2 \(a, b\)\. Distil from a teacher trained/,
    );
  });
});

describe('@frugal/distill', () => {
  it('registers the distill strategy, without side effects at import', () => {
    expect(createFrugal({ plugins: [distill()] }).strategies.names()).toContain('distill');
    expect(createFrugal().strategies.names()).not.toContain('distill');
  });

  it('names the bad field of the strategy parameters', () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), distill()] });
    const recipe = (strategyParams: Record<string, unknown>) => ({
      data: { dataset: 'stripes' },
      model: { name: 'tiny-staged' },
      strategy: { name: 'distill', params: strategyParams },
    });
    expect(() => validateRecipe(recipe({}), frugal)).toThrow(/teacher/);
    expect(() => validateRecipe(recipe({ teacher: { type: 'train', model: { name: 'tiny-staged' } }, alpha: 2 }), frugal)).toThrow(/alpha/);
    expect(() => validateRecipe(recipe({ teacher: { type: 'train', model: { name: 'tiny-staged' }, train: { epochs: 0 } } }), frugal)).toThrow(/epochs/);
  });

  it('trains a teacher, then distils it into the student, from a recipe', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), distill()], seed: 10 });
    const runDir = join(root, 'recipe');
    const recipe = validateRecipe(
      {
        seed: 10,
        data: { dataset: 'stripes', labelledPerClass: 6, params: { count: 60 } },
        model: { name: 'tiny-staged', params: { width: 2 } },
        strategy: {
          name: 'distill',
          params: { teacher: { type: 'train', model: { name: 'tiny-staged', params: { width: 8 } }, train: { epochs: 6 } }, temperature: 2 },
        },
        train: { epochs: 4, batchSize: 8, optimizer: { lr: 0.1 } },
      },
      frugal,
    );
    const run = await runRecipe(frugal, recipe, { runDir, quiet: true });
    expect(run.result.details).toMatchObject({ teacher: 'tiny-staged trained on the labelled images', transferSet: { labelled: 18, unlabelled: 42 } });
    expect(run.result.details?.teacherAccuracy).toBeGreaterThan(0.6);
    for (const f of ['teacher/model/model.json', 'teacher/model/frugal.json', 'teacher/checkpoints/latest.json', 'model/model.json', 'checkpoints/latest.json']) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
    }
  });
});
