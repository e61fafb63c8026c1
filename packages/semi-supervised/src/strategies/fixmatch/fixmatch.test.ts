import { TrainingInterrupted, type Logs, type StrategyResult, type TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamedImages } from '@frugal/core/testing';
import { abortAfter, patterns, tensorCounter, testFrugal, tinyContext, useTestBackend } from '../../test-utils/tiny.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-fixmatch-'));
beforeAll(useTestBackend);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// 4 labelled + 8 unlabelled images a step, 4 steps an epoch, 3 epochs.
const params = { confidenceThreshold: 0.5, unlabelledRatio: 2, stepsPerEpoch: 4, strongAugment: [{ op: 'rand-augment', magnitude: 0.3 }] };

function weightsOf(result: StrategyResult): number[][] {
  return result.model.model.getWeights().map((w) => Array.from(w.dataSync()));
}

function stepLogs(): TrainingCallback & { logs: Logs[] } {
  const logs: Logs[] = [];
  return { name: 'step-logs', logs, onStepEnd: (_s, l) => void logs.push(l) };
}

type RunOptions = {
  runDir?: string;
  resume?: boolean;
  steps?: number;
  supervisedEpochs?: number;
  confidenceThreshold?: number | 'self-adaptive' | 'soft';
  distributionAlignment?: boolean;
  pseudoLabelModel?: 'live' | 'ema';
  fairnessWeight?: number;
  labelledAugment?: { op: string; magnitude: number }[];
  mixAugment?: { op: string }[];
  rotationWeight?: number;
  decoupledHead?: boolean;
  pseudoLabelTemperature?: number;
  thresholdMomentum?: number;
  featureConsistencyWeight?: number;
  shrinkWeight?: number;
  shrinkHead?: boolean;
  weakViews?: number;
  vatWeight?: number;
  neighbourLabels?: { weight: number; everyEpochs: number; neighbours: number; dimensions: number };
};

async function run(options: RunOptions = {}) {
  const frugal = testFrugal(11);
  const counter = tensorCounter();
  const steps = stepLogs();
  const controller = new AbortController();
  const callbacks = [counter, steps, ...(options.steps ? [abortAfter(controller, options.steps)] : [])];
  const ctx = tinyContext(frugal, { runDir: options.runDir, resume: options.resume, signal: controller.signal, callbacks });
  const p = {
    ...params,
    supervisedEpochs: options.supervisedEpochs ?? 0,
    confidenceThreshold: options.confidenceThreshold ?? params.confidenceThreshold,
    distributionAlignment: options.distributionAlignment ?? false,
    ...(options.pseudoLabelModel ? { pseudoLabelModel: options.pseudoLabelModel, teacherDecay: 0.9 } : {}),
    ...(options.fairnessWeight ? { fairnessWeight: options.fairnessWeight, thresholdMomentum: 0.9 } : {}),
    ...(options.labelledAugment ? { labelledAugment: options.labelledAugment } : {}),
    ...(options.thresholdMomentum ? { thresholdMomentum: options.thresholdMomentum } : {}),
    ...(options.mixAugment ? { mixAugment: options.mixAugment } : {}),
    ...(options.rotationWeight ? { rotationWeight: options.rotationWeight } : {}),
    ...(options.decoupledHead ? { decoupledHead: true } : {}),
    ...(options.pseudoLabelTemperature ? { pseudoLabelTemperature: options.pseudoLabelTemperature } : {}),
    ...(options.featureConsistencyWeight ? { featureConsistencyWeight: options.featureConsistencyWeight } : {}),
    ...(options.shrinkWeight ? { shrinkWeight: options.shrinkWeight } : {}),
    ...(options.shrinkHead !== undefined ? { shrinkHead: options.shrinkHead } : {}),
    ...(options.weakViews ? { weakViews: options.weakViews } : {}),
    ...(options.neighbourLabels ? { neighbourLabels: options.neighbourLabels } : {}),
    // ξ well above float32's rounding of these small logits, as under bfloat16.
    ...(options.vatWeight ? { vatWeight: options.vatWeight, vatEpsilon: 1, vatXi: 0.1, vatImages: 5 } : {}),
  };
  return { result: await frugal.strategies.create('fixmatch', p).run(ctx), counter, steps };
}

/** Interrupts a run with `options` after 5 steps, resumes it, checks that it ends at `weights`, and returns the resumed steps' logs. */
async function resumedTo(name: string, options: RunOptions, weights: number[][]): Promise<Logs[]> {
  const runDir = join(root, name);
  await expect(run({ runDir, steps: 5, ...options })).rejects.toBeInstanceOf(TrainingInterrupted);
  const resumed = await run({ runDir, resume: true, ...options });
  expect(weightsOf(resumed.result)).toEqual(weights);
  resumed.result.model.model.dispose();
  return resumed.steps.logs;
}

describe('fixmatch', () => {
  let straight: number[][] | undefined;

  it('trains on labelled and consistency losses, with live tensors flat from step to step', async () => {
    const { result, counter, steps } = await run();
    straight = weightsOf(result);
    expect(steps.logs).toHaveLength(12);
    expect(steps.logs.every((l) => Number.isFinite(l.unlabelledLoss) && l.maskRate !== undefined)).toBe(true);
    expect(steps.logs.some((l) => (l.maskRate as number) > 0)).toBe(true);
    expect(result.details).toMatchObject({ strategy: 'fixmatch', steps: 12 });
    expect(result.evaluation?.count).toBe(30);
    expect(counter.flat()).toBe(true);
    result.model.model.dispose();
  });

  it('resumes an interrupted run to the same weights (and is deterministic)', async () => {
    expect(straight, 'the run of the previous test').toBeDefined();
    const runDir = join(root, 'run');
    await expect(run({ runDir, steps: 6 })).rejects.toBeInstanceOf(TrainingInterrupted);
    expect(existsSync(join(runDir, 'checkpoints', 'latest.json'))).toBe(true);
    const { result, steps } = await run({ runDir, resume: true });
    expect(steps.logs).toHaveLength(6);
    expect(weightsOf(result)).toEqual(straight);
    result.model.model.dispose();
  });

  it('starts from a supervised warm-up when asked, and resumes after it to the same weights', async () => {
    // 12 labelled images at batch 4: 3 warm-up steps an epoch, then FixMatch's 12 steps.
    const { result, steps, counter } = await run({ supervisedEpochs: 2 });
    expect(steps.logs).toHaveLength(6 + 12);
    expect(steps.logs.slice(0, 6).every((l) => l.maskRate === undefined && l.accuracy !== undefined)).toBe(true);
    expect(steps.logs.slice(6).every((l) => l.maskRate !== undefined)).toBe(true);
    expect(counter.flat()).toBe(true);
    const warmed = weightsOf(result);
    expect(warmed).not.toEqual(straight);
    result.model.model.dispose();

    const runDir = join(root, 'warm');
    await expect(run({ runDir, steps: 6 + 5, supervisedEpochs: 2 })).rejects.toBeInstanceOf(TrainingInterrupted);
    const resumed = await run({ runDir, resume: true, supervisedEpochs: 2 });
    expect(resumed.steps.logs).toHaveLength(12 - 5);
    expect(weightsOf(resumed.result)).toEqual(warmed);
    resumed.result.model.model.dispose();
  });

  it('with a self-adaptive threshold, raises the bar as the model learns and resumes to the same weights', async () => {
    // A short memory, so that the bar follows these few steps' confidence (0.999 would move it by 1e-11).
    const adaptive = { confidenceThreshold: 'self-adaptive' as const, thresholdMomentum: 0.5 };
    const { result, steps, counter } = await run(adaptive);
    const bars = steps.logs.map((l) => l.threshold as number);
    expect(bars[0]).toBeLessThan(1 / 3 + 0.01);
    expect(bars[11]).toBeGreaterThan((bars[0] as number) + 0.1);
    expect(counter.flat()).toBe(true);
    const straightAdaptive = weightsOf(result);
    result.model.model.dispose();

    const resumedLogs = await resumedTo('adaptive', adaptive, straightAdaptive);
    expect(resumedLogs.map((l) => l.threshold)).toEqual(bars.slice(5));
  });

  it('with a soft threshold, weighs pseudo-labels between 0 and 1, keeps live tensors flat, and resumes to the same weights', async () => {
    // A short memory, so that the mean confidence follows these few steps' and some images fall below it.
    const soft = { confidenceThreshold: 'soft' as const, thresholdMomentum: 0.5 };
    const { result, steps, counter } = await run(soft);
    const rates = steps.logs.map((l) => l.maskRate as number);
    // Weights, not a mask: the mean weight lies strictly between the all-or-nothing rates.
    expect(rates.some((r) => r > 0 && r < 1 && Math.abs(r * 8 - Math.round(r * 8)) > 1e-3)).toBe(true);
    const bars = steps.logs.map((l) => l.threshold as number);
    expect(bars[0]).toBeGreaterThan(1 / 3);
    expect(counter.flat()).toBe(true);
    const straightSoft = weightsOf(result);
    result.model.model.dispose();

    const resumedLogs = await resumedTo('soft', soft, straightSoft);
    expect(resumedLogs.map((l) => l.threshold)).toEqual(bars.slice(5));
  });

  it('with distribution alignment, takes other pseudo-labels, keeps live tensors flat, and resumes to the same weights', async () => {
    const aligned = { confidenceThreshold: 'self-adaptive' as const, distributionAlignment: true };
    const { result, steps, counter } = await run(aligned);
    expect(counter.flat()).toBe(true);
    const plain = await run({ confidenceThreshold: 'self-adaptive' });
    expect(steps.logs.map((l) => l.threshold)).not.toEqual(plain.steps.logs.map((l) => l.threshold));
    plain.result.model.model.dispose();
    const straightAligned = weightsOf(result);
    result.model.model.dispose();

    await resumedTo('aligned', aligned, straightAligned);
  });

  it('with pseudo-labels from an EMA teacher, takes other pseudo-labels, keeps live tensors flat, and resumes to the same weights', async () => {
    const fromEma = { pseudoLabelModel: 'ema' as const };
    const { result, steps, counter } = await run(fromEma);
    expect(counter.flat()).toBe(true);
    expect(steps.logs).toHaveLength(12);
    const live = await run();
    expect(steps.logs.map((l) => l.maskRate)).not.toEqual(live.steps.logs.map((l) => l.maskRate));
    live.result.model.model.dispose();
    const straightEma = weightsOf(result);
    expect(straightEma).not.toEqual(straight);
    result.model.model.dispose();

    const resumedLogs = await resumedTo('ema', fromEma, straightEma);
    expect(resumedLogs.map((l) => l.maskRate)).toEqual(steps.logs.slice(5).map((l) => l.maskRate));
  });

  it('with the fairness loss, trains other weights, keeps live tensors flat, and resumes to the same weights', async () => {
    const fair = { confidenceThreshold: 'self-adaptive' as const, fairnessWeight: 0.5 };
    const { result, steps, counter } = await run(fair);
    expect(counter.flat()).toBe(true);
    expect(steps.logs.every((l) => Number.isFinite(l.fairnessLoss))).toBe(true);
    expect(steps.logs.some((l) => (l.fairnessLoss as number) < 0)).toBe(true);
    const unfair = await run({ confidenceThreshold: 'self-adaptive', fairnessWeight: 0 });
    const straightFair = weightsOf(result);
    expect(straightFair).not.toEqual(weightsOf(unfair.result));
    unfair.result.model.model.dispose();
    result.model.model.dispose();

    await resumedTo('fair', fair, straightFair);
  });

  it('augments the labelled images with their own pipeline when given one, and keeps live tensors flat', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const { result, steps, counter } = await run({ labelledAugment: [{ op: 'rand-augment', magnitude: 0.3 }] });
    expect(counter.flat()).toBe(true);
    expect(steps.logs).toHaveLength(12);
    expect(weightsOf(result)).not.toEqual(straight);
    result.model.model.dispose();
  });

  it('mixes the labelled and strong views with their targets when given mixAugment, keeps live tensors flat, and resumes to the same weights', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const mixed = { mixAugment: [{ op: 'blend' }] };
    const { result, steps, counter } = await run(mixed);
    expect(counter.flat()).toBe(true);
    // The labelled rows' targets are blends now, so the batch accuracy against their arg-max moves.
    const plain = await run();
    expect(steps.logs.map((l) => l.accuracy)).not.toEqual(plain.steps.logs.map((l) => l.accuracy));
    plain.result.model.model.dispose();
    const straightMixed = weightsOf(result);
    expect(straightMixed).not.toEqual(straight);
    result.model.model.dispose();

    await resumedTo('mixed', mixed, straightMixed);
  });

  it('guesses the pseudo-labels from several weak views when asked, keeps live tensors flat, and resumes to the same weights', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const guessed = { weakViews: 3 };
    const { result, steps, counter } = await run(guessed);
    expect(counter.flat()).toBe(true);
    expect(steps.logs).toHaveLength(12);
    const straightGuessed = weightsOf(result);
    expect(straightGuessed).not.toEqual(straight);
    result.model.model.dispose();
    await resumedTo('guessed', guessed, straightGuessed);
  });

  it('mixes the pseudo-labels with their images\' labels smoothed over pixel neighbours when asked, keeps live tensors flat, and resumes to the same weights', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    // Labelled afresh at the start of epochs 0 and 2: the resumed run (from step 5, in epoch 1) keeps the first labels and makes the second.
    const smoothed = { neighbourLabels: { weight: 0.5, everyEpochs: 2, neighbours: 4, dimensions: 6 } };
    const { result, steps, counter } = await run(smoothed);
    expect(counter.flat()).toBe(true);
    expect(steps.logs).toHaveLength(12);
    const straightSmoothed = weightsOf(result);
    expect(straightSmoothed).not.toEqual(straight);
    result.model.model.dispose();
    await resumedTo('smoothed', smoothed, straightSmoothed);
  });

  it('trains virtual adversarial images beside FixMatch when asked, keeps live tensors flat, and resumes to the same weights', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const adversarial = { vatWeight: 0.5 };
    const { result, steps, counter } = await run(adversarial);
    expect(counter.flat()).toBe(true);
    expect(steps.logs.every((l) => Number.isFinite(l.vatLoss) && (l.vatLoss as number) > 0)).toBe(true);
    const straightAdversarial = weightsOf(result);
    expect(straightAdversarial).not.toEqual(straight);
    result.model.model.dispose();
    await resumedTo('adversarial', adversarial, straightAdversarial);

    // Beside the rotation task, whose turned images ride after the adversarial rows.
    const both = await run({ ...adversarial, rotationWeight: 0.5 });
    expect(both.counter.flat()).toBe(true);
    expect(both.steps.logs.every((l) => Number.isFinite(l.rotationLoss) && Number.isFinite(l.vatLoss))).toBe(true);
    both.result.model.model.dispose();
  });

  it('keeps the rotation task beside FixMatch when asked, keeps live tensors flat, resumes to the same weights, and saves the classifier alone', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const rotating = { rotationWeight: 0.5 };
    const { result, steps, counter } = await run(rotating);
    expect(counter.flat()).toBe(true);
    expect(steps.logs.every((l) => Number.isFinite(l.rotationLoss) && (l.rotationLoss as number) > 0)).toBe(true);
    expect(result.model.model.layers.map((l) => l.name)).not.toContain('rotation_head');
    const straightRotating = weightsOf(result);
    expect(straightRotating).not.toEqual(straight);
    expect(straightRotating.length).toBe(straight?.length);
    result.model.model.dispose();

    await resumedTo('rotating', rotating, straightRotating);
  });

  it('learns the pseudo-labels through a decoupled head when asked, keeps live tensors flat, resumes to the same weights, and saves the classifier alone', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const decoupled = { decoupledHead: true };
    const { result, counter } = await run(decoupled);
    expect(counter.flat()).toBe(true);
    expect(result.model.model.layers.map((l) => l.name)).not.toContain('pseudo_head');
    const straightDecoupled = weightsOf(result);
    expect(straightDecoupled).not.toEqual(straight);
    expect(straightDecoupled.length).toBe(straight?.length);
    result.model.model.dispose();
    await resumedTo('decoupled', decoupled, straightDecoupled);

    // Beside the rotation task: both heads train, and both go.
    const both = await run({ ...decoupled, rotationWeight: 0.5 });
    expect(both.counter.flat()).toBe(true);
    expect(both.steps.logs.every((l) => Number.isFinite(l.rotationLoss))).toBe(true);
    expect(both.result.model.model.layers.map((l) => l.name).filter((n) => n.endsWith('_head'))).toEqual([]);
    expect(weightsOf(both.result)).not.toEqual(straightDecoupled);
    both.result.model.model.dispose();
  });

  it('pulls the features of the strong views towards those of the weak views when asked, keeps live tensors flat, resumes to the same weights, and saves the classifier alone', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const consistent = { featureConsistencyWeight: 1 };
    const { result, steps, counter } = await run(consistent);
    expect(counter.flat()).toBe(true);
    // Minus a mean cosine similarity.
    expect(steps.logs.every((l) => (l.featureLoss as number) >= -1 && (l.featureLoss as number) <= 1)).toBe(true);
    expect(result.model.model.layers.map((l) => l.name)).not.toContain('projection_head');
    const straightConsistent = weightsOf(result);
    expect(straightConsistent).not.toEqual(straight);
    expect(straightConsistent.length).toBe(straight?.length);
    result.model.model.dispose();
    await resumedTo('consistent', consistent, straightConsistent);

    // Beside the rotation task and the decoupled head: every head trains, and every one goes.
    const all = await run({ ...consistent, rotationWeight: 0.5, decoupledHead: true });
    expect(all.counter.flat()).toBe(true);
    expect(all.steps.logs.every((l) => Number.isFinite(l.rotationLoss) && Number.isFinite(l.featureLoss))).toBe(true);
    expect(all.result.model.model.layers.map((l) => l.name).filter((n) => n.endsWith('_head'))).toEqual([]);
    all.result.model.model.dispose();
  });

  it('teaches the images below the threshold in their shrunk class spaces when asked, keeps live tensors flat, resumes to the same weights, and saves the classifier alone', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const shrinking = { shrinkWeight: 1 };
    const { result, steps, counter } = await run(shrinking);
    expect(counter.flat()).toBe(true);
    expect(steps.logs.every((l) => Number.isFinite(l.shrinkLoss) && (l.shrinkLoss as number) >= 0)).toBe(true);
    // Only images the threshold left out shrink their class space.
    expect(steps.logs.every((l) => (l.shrinkRate as number) <= 1 - (l.maskRate as number) + 1e-6)).toBe(true);
    expect(steps.logs.some((l) => (l.shrinkRate as number) > 0)).toBe(true);
    expect(result.model.model.layers.map((l) => l.name)).not.toContain('shrink_head');
    const straightShrinking = weightsOf(result);
    expect(straightShrinking).not.toEqual(straight);
    expect(straightShrinking.length).toBe(straight?.length);
    result.model.model.dispose();
    await resumedTo('shrinking', shrinking, straightShrinking);

    // Through the classifier itself, beside every run head the strategy has.
    const all = await run({ ...shrinking, shrinkHead: false, rotationWeight: 0.5, decoupledHead: true, featureConsistencyWeight: 1 });
    expect(all.counter.flat()).toBe(true);
    expect(all.steps.logs.every((l) => Number.isFinite(l.shrinkLoss) && Number.isFinite(l.featureLoss) && Number.isFinite(l.rotationLoss))).toBe(true);
    expect(all.result.model.model.layers.map((l) => l.name).filter((n) => n.endsWith('_head'))).toEqual([]);
    expect(weightsOf(all.result)).not.toEqual(straightShrinking);
    all.result.model.model.dispose();
  });

  it('trains towards soft pseudo-labels when given a temperature, and keeps live tensors flat', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const { result, steps, counter } = await run({ pseudoLabelTemperature: 0.4 });
    expect(counter.flat()).toBe(true);
    expect(steps.logs).toHaveLength(12);
    expect(weightsOf(result)).not.toEqual(straight);
    result.model.model.dispose();
  });

  it('releases the tensors it made', async () => {
    const before = tf.memory().numTensors;
    const frugal = testFrugal(11);
    const r = await frugal.strategies.create('fixmatch', { ...params, stepsPerEpoch: 1 }).run(tinyContext(frugal, { train: { ...tinyContext(frugal).train, epochs: 2 } }));
    r.model.model.dispose();
    // Core's optimizer keeps one stray tensor per trainable variable (its momentum slot's zeros).
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(8);
  });

  it('says clearly when its strong augmentation is absent', async () => {
    const frugal = testFrugal(11, [], { randAugment: false });
    await expect(frugal.strategies.create('fixmatch', {}).run(tinyContext(frugal))).rejects.toThrow(
      /strategy.params.strongAugment\[0\]: unknown augmentation "rand-augment".*@frugal\/augment.*or set strategy.params.strongAugment to \[\]/,
    );
  });

  it('refuses the rotation task on images that are not square, as bad input naming the parameter', async () => {
    const frugal = testFrugal(11);
    const ctx = tinyContext(frugal);
    const oblong = { ...ctx, data: { ...ctx.data, labelled: { ...ctx.data.labelled, shape: [8, 4, 1] as const } } };
    const run = frugal.strategies.create('fixmatch', { ...params, rotationWeight: 0.5 }).run(oblong);
    await expect(run).rejects.toMatchObject({ name: 'FrugalInputError' });
    await expect(run).rejects.toThrow(/strategy.params.rotationWeight: .*needs square images, but these are 8×4; set rotationWeight to 0/);
  });

  it('refuses neighbour labels when the unlabelled images are read from a folder as training goes, as bad input naming the parameter', async () => {
    const frugal = testFrugal(11);
    const ctx = tinyContext(frugal);
    const streamed = { ...ctx, data: { ...ctx.data, unlabelled: undefined, unlabelledStream: streamedImages(patterns(60, 3, { hideLabels: true })) } };
    const run = frugal.strategies.create('fixmatch', { ...params, neighbourLabels: {} }).run(streamed);
    await expect(run).rejects.toMatchObject({ name: 'FrugalInputError' });
    await expect(run).rejects.toThrow(/fixmatch: strategy.params.neighbourLabels .* needs them in memory.*remove neighbourLabels/);
  });

  it('validates its parameters by name', () => {
    const frugal = testFrugal(11);
    expect(() => frugal.strategies.create('fixmatch', { confidenceThreshold: 1.5 })).toThrow(/confidenceThreshold/);
    expect(() => frugal.strategies.create('fixmatch', { mu: 7 })).toThrow(/mu/);
    expect(() => frugal.strategies.create('fixmatch', { pseudoLabelModel: 'teacher' })).toThrow(/pseudoLabelModel/);
    expect(() => frugal.strategies.create('fixmatch', { teacherDecay: 1 })).toThrow(/teacherDecay/);
    expect(() => frugal.strategies.create('fixmatch', { neighbourLabels: { weight: 1.5 } })).toThrow(/neighbourLabels.weight/);
    expect(() => frugal.strategies.create('fixmatch', { fairnessWeight: 0.01 })).toThrow(/fairnessWeight.*set confidenceThreshold to self-adaptive/);
    expect(() => frugal.strategies.create('fixmatch', { mixAugment: [{ ops: 'mixup' }] })).toThrow(/mixAugment/);
    expect(() => frugal.strategies.create('fixmatch', { shrinkWeight: 1, confidenceThreshold: 'soft' })).toThrow(/shrinkWeight.*set confidenceThreshold to a number or self-adaptive/);
    expect(() => frugal.strategies.create('fixmatch', { shrinkWeight: 1, mixAugment: [{ op: 'mixup' }] })).toThrow(/shrinkWeight.*leave mixAugment empty/);
    expect(() => frugal.strategies.create('fixmatch', { decoupledHead: 'yes' })).toThrow(/decoupledHead/);
    expect(() => frugal.strategies.create('fixmatch', { featureConsistencyWeight: -1 })).toThrow(/featureConsistencyWeight/);
    expect(() => frugal.strategies.create('fixmatch', { weakViews: 0 })).toThrow(/weakViews/);
    expect(() => frugal.strategies.create('fixmatch', { vatWeight: 1, mixAugment: [{ op: 'mixup' }] })).toThrow(/vatWeight.*leave mixAugment empty/);
    expect(() => frugal.strategies.create('fixmatch', { vatEpsilon: 0 })).toThrow(/vatEpsilon/);
  });
});
