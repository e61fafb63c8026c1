import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchSource, normalize } from '../data/batches.js';
import { Rng } from '../rng.js';
import { stripes, tinyConvNet, useCpu } from '../testing/index.js';
import type { Batch } from '../types.js';
import { metricsJsonl } from '../callbacks/metrics-jsonl.js';
import { batchAccuracy, softCrossEntropy } from './losses.js';
import { trainConfig, type trainConfigSchema } from './train-config.js';
import type { z } from 'zod';
import { NonFiniteLossError, TrainingInterrupted, trainLoop, type TrainLoopOptions } from './train-loop.js';
import type { LayersModel } from '@tensorflow/tfjs-layers';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'frugal-loop-'));
  dirs.push(d);
  return d;
};
beforeAll(useCpu);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const data = stripes(24);
const norm = { mean: [0.5], std: [0.25] };

function setup(seed: number, config: z.input<typeof trainConfigSchema> = {}, dropout = 0.2) {
  const rng = new Rng(seed);
  const model = tinyConvNet(3, [8, 8, 1], rng.child('init'), dropout);
  const source = new BatchSource(data, { batchSize: 8, shuffle: { rng: rng.child('shuffle') }, numClasses: 3 });
  const options: TrainLoopOptions = {
    model,
    data: source,
    config: trainConfig({ epochs: 2, batchSize: 8, optimizer: { lr: 0.1 }, ...config }),
    rng: rng.child('steps'),
    loss: (batch: Batch, info) => {
      const noise = tf.randomNormal(batch.x.shape, 0, 0.05, 'float32', info.rng.seedInt());
      const logits = model.apply(normalize(tf.add(batch.x, noise) as tf.Tensor4D, norm), { training: true }) as tf.Tensor2D;
      info.track('accuracy', batchAccuracy(logits, batch.y));
      return softCrossEntropy(logits, batch.y);
    },
  };
  return { model, options };
}

/** Test names' endings and the config that goes with them: plain steps, then sharpness-aware ones. */
const withAndWithoutSam: [string, z.input<typeof trainConfigSchema>][] = [
  ['', {}],
  [' with sharpness-aware minimisation', { sam: { rho: 0.05 } }],
];

const weightsOf = (model: LayersModel) => model.weights.map((w) => Array.from(w.read().dataSync()));

describe('trainLoop', () => {
  it('lowers the loss and reports per-epoch logs', async () => {
    const { options } = setup(1, { epochs: 6 });
    const { history } = await trainLoop(options);
    expect(history).toHaveLength(6);
    expect(history[5]?.loss).toBeLessThan(history[0]?.loss as number);
    expect(history[5]).toHaveProperty('accuracy');
  });

  it('logs the learning rate of each epoch\'s last step, not the rate after it (0 at a cosine\'s end)', async () => {
    const { options } = setup(1, { epochs: 2, schedule: { name: 'cosine' } });
    const { history } = await trainLoop(options);
    // 3 steps an epoch, 6 in all, on a cosine from 0.1 to 0: steps 2 and 5 end the epochs.
    const rate = (step: number) => 0.1 * 0.5 * (1 + Math.cos((Math.PI * step) / 6));
    expect(history[0]?.lr).toBeCloseTo(rate(2), 12);
    expect(history[1]?.lr).toBeCloseTo(rate(5), 12);
    expect(history[1]?.lr).toBeGreaterThan(0.005);
  });

  it.each(withAndWithoutSam)('gives identical weights after 20 steps for the same seed, and different ones for another%s', async (_name, extra) => {
    const run = async (seed: number) => {
      const { model, options } = setup(seed, { epochs: 7, ...extra }); // 3 steps an epoch -> 21 steps
      await trainLoop(options);
      return weightsOf(model);
    };
    const a = await run(5);
    expect(await run(5)).toEqual(a);
    expect(await run(6)).not.toEqual(a);
  });

  it('steps from other weights with sharpness-aware minimisation than without', async () => {
    const run = async (extra: z.input<typeof trainConfigSchema>) => {
      const { model, options } = setup(5, { epochs: 1, ...extra });
      await trainLoop(options);
      return weightsOf(model);
    };
    expect(await run({ sam: { rho: 0.05 } })).not.toEqual(await run({}));
  });

  it('resumes after an interruption at the end of epoch 1 to the same final weights', async () => {
    const reference = setup(9, { epochs: 3, emaDecay: 0.9 });
    await trainLoop(reference.options);
    const expected = weightsOf(reference.model);

    const dir = tempDir();
    const controller = new AbortController();
    const first = setup(9, { epochs: 3, emaDecay: 0.9 });
    const stopAfterEpoch1 = { name: 'stop', onEpochEnd: (s: { epoch: number }) => void (s.epoch === 0 && controller.abort()) };
    // Abort takes effect at the next step boundary: after the first step of epoch 2.
    await expect(
      trainLoop({ ...first.options, checkpointDir: dir, signal: controller.signal, callbacks: [stopAfterEpoch1] }),
    ).rejects.toBeInstanceOf(TrainingInterrupted);

    const second = setup(9, { epochs: 3, emaDecay: 0.9 }); // a fresh process: new model, new init
    const result = await trainLoop({ ...second.options, checkpointDir: dir, resume: true });
    expect(result.resumedFrom).toMatch(/epoch-0001-step-0000004$/);
    expect(result.history).toHaveLength(3);
    expect(weightsOf(second.model)).toEqual(expected);
  });

  it('resumes an interruption after an epoch\'s last step by ending that epoch: its logs once, in the history and in metrics.jsonl', async () => {
    const reference = setup(5, { epochs: 3 });
    const straight = await trainLoop(reference.options);

    const dir = tempDir();
    const file = join(dir, 'metrics.jsonl');
    const controller = new AbortController();
    const first = setup(5, { epochs: 3 });
    // 3 steps an epoch: the abort lands after the last step of epoch 1, before the epoch ends.
    const stopAtStep3 = { name: 'stop', onStepEnd: (s: { step: number }) => void (s.step === 3 && controller.abort()) };
    const error = await trainLoop({ ...first.options, checkpointDir: join(dir, 'checkpoints'), signal: controller.signal, callbacks: [metricsJsonl(file), stopAtStep3] }).catch((e: Error) => e);
    expect((error as TrainingInterrupted).checkpoint).toMatch(/epoch-0000-step-0000003$/);

    const second = setup(5, { epochs: 3 });
    const resumed = await trainLoop({ ...second.options, checkpointDir: join(dir, 'checkpoints'), resume: true, callbacks: [metricsJsonl(file)] });
    expect(resumed.history).toEqual(straight.history);
    expect(weightsOf(second.model)).toEqual(weightsOf(reference.model));
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { epoch: number; loss: number });
    expect(lines.map((l) => [l.epoch, l.loss])).toEqual(straight.history.map((h) => [h['epoch'], h['loss']]));
  });

  it('cuts metrics.jsonl back to its last checkpoint on resume, so that the epochs written after it are not written twice', async () => {
    const dir = tempDir();
    const file = join(dir, 'metrics.jsonl');
    const first = setup(6, { epochs: 3 });
    await trainLoop({ ...first.options, checkpointDir: join(dir, 'checkpoints'), callbacks: [metricsJsonl(file)] });
    // As if killed after epoch 3's line but before its checkpoint: resume from epoch 2's.
    rmSync(join(dir, 'checkpoints', readdirSync(join(dir, 'checkpoints')).find((f) => f.startsWith('epoch-0003'))!), { recursive: true });
    writeFileSync(join(dir, 'checkpoints', 'latest.json'), JSON.stringify({ checkpoint: readdirSync(join(dir, 'checkpoints')).find((f) => f.startsWith('epoch-0002')) }));
    const second = setup(6, { epochs: 3 });
    await trainLoop({ ...second.options, checkpointDir: join(dir, 'checkpoints'), resume: true, callbacks: [metricsJsonl(file)] });
    const epochs = readFileSync(file, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { epoch: number }).epoch);
    expect(epochs).toEqual([1, 2, 3]);
  });

  it('resumes from an epoch checkpoint as if never stopped', async () => {
    const reference = setup(11, { epochs: 3 });
    await trainLoop(reference.options);
    const dir = tempDir();
    const first = setup(11, { epochs: 3 });
    await trainLoop({ ...first.options, config: { ...first.options.config, epochs: 3 }, checkpointDir: dir, callbacks: [
      { name: 'kill', onEpochEnd: (s) => { if (s.epoch === 0) s.stopTraining = true; } },
    ] });
    expect(readFileSync(join(dir, 'latest.json'), 'utf8')).toContain('epoch-0001');
    const second = setup(11, { epochs: 3 });
    await trainLoop({ ...second.options, checkpointDir: dir, resume: true });
    expect(weightsOf(second.model)).toEqual(weightsOf(reference.model));
  });

  it('stops on a NaN loss with an error naming the step, keeping the last good checkpoint', async () => {
    const dir = tempDir();
    const { options } = setup(2, { epochs: 3 });
    let calls = 0;
    const poisoned: TrainLoopOptions = {
      ...options,
      checkpointDir: dir,
      loss: (batch, info) => {
        const loss = options.loss(batch, info);
        return ++calls === 5 ? (tf.mul(loss, NaN) as tf.Scalar) : loss;
      },
    };
    await expect(trainLoop(poisoned)).rejects.toThrow(
      /The loss became NaN at epoch 2, step 2 of the epoch \(global step 5\); training stopped\. The last good checkpoint, .*epoch-0001-step-0000003, is kept/,
    );
    calls = 0;
    await expect(trainLoop(poisoned)).rejects.toBeInstanceOf(NonFiniteLossError);
    expect(readdirSync(dir).filter((f) => f.startsWith('epoch-'))).toEqual(['epoch-0001-step-0000003']);
  });

  it('says that no checkpoint is kept when the loss turns NaN before the first one', async () => {
    const dir = tempDir();
    const { options } = setup(2, { epochs: 1 });
    let calls = 0;
    const poisoned: TrainLoopOptions = {
      ...options,
      checkpointDir: dir,
      loss: (batch, info) => (++calls === 2 ? (tf.mul(options.loss(batch, info), NaN) as tf.Scalar) : options.loss(batch, info)),
    };
    const error = await trainLoop(poisoned).catch((e: Error) => e);
    expect(error).toBeInstanceOf(NonFiniteLossError);
    expect((error as Error).message).toMatch(/No checkpoint was written before it/);
    expect((error as Error).message).not.toMatch(/is kept/);
  });

  it('honours an abort that a timer fires within one step, even in a one-epoch run', async () => {
    const dir = tempDir();
    const { options } = setup(4, { epochs: 1 });
    const controller = new AbortController();
    const steps: number[] = [];
    const run = trainLoop({
      ...options,
      data: new BatchSource(stripes(80), { batchSize: 8, numClasses: 3 }),
      checkpointDir: dir,
      signal: controller.signal,
      callbacks: [{ name: 'ctrl-c', onStepEnd: (s) => void (steps.push(s.step), s.step === 2 && setTimeout(() => controller.abort(), 0)) }],
    });
    const error = await run.catch((e: Error) => e);
    expect(error).toBeInstanceOf(TrainingInterrupted);
    expect(steps.length).toBeLessThanOrEqual(3);
    expect((error as TrainingInterrupted).checkpoint).toMatch(/epoch-0000-step-000000[23]$/);
  });

  it.each(withAndWithoutSam)('keeps the live tensor count flat over 50 steps%s', async (_name, extra) => {
    const { options } = setup(3, { epochs: 1, clipNorm: 1, emaDecay: 0.99, ...extra });
    const counts: number[] = [];
    const longer = new BatchSource(stripes(8 * 50), { batchSize: 8, shuffle: { rng: new Rng(1) }, numClasses: 3 });
    await trainLoop({ ...options, data: longer, callbacks: [{ name: 'count', onStepEnd: () => void counts.push(tf.memory().numTensors) }] });
    expect(counts).toHaveLength(50);
    expect(counts[49]).toBe(counts[1]);
  });

  it.each(['sgd', 'adam'] as const)('leaves nothing but the model when done, its %s state and weight average freed, resumed or not', async (name) => {
    const config = { epochs: 2, emaDecay: 0.9, optimizer: { name, lr: 0.05, momentum: 0.9 } };
    const modelTensors = (model: LayersModel) => model.weights.length;
    const before = tf.memory().numTensors;
    const straight = setup(4, config);
    await trainLoop(straight.options);
    expect(tf.memory().numTensors - before).toBe(modelTensors(straight.model));
    straight.model.dispose();

    const dir = tempDir();
    const controller = new AbortController();
    const first = setup(4, config);
    const stop = { name: 'stop', onEpochEnd: () => controller.abort() };
    await expect(trainLoop({ ...first.options, checkpointDir: dir, signal: controller.signal, callbacks: [stop] })).rejects.toBeInstanceOf(TrainingInterrupted);
    first.model.dispose();
    const second = setup(4, config);
    await trainLoop({ ...second.options, checkpointDir: dir, resume: true });
    expect(tf.memory().numTensors - before).toBe(modelTensors(second.model));
    second.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('hands the loss the batch that prepare made outside the tape, and disposes both', async () => {
    const { model, options } = setup(5, { epochs: 2 }, 0);
    const counts: number[] = [];
    const seen: number[] = [];
    await trainLoop({
      ...options,
      // Targets the model predicts for itself, as FixMatch's weak view does.
      prepare: (batch, info) => {
        const probs = tf.softmax(model.apply(normalize(batch.x, norm), { training: true }) as tf.Tensor2D);
        info.track('selfConfidence', tf.mean(tf.max(probs, -1)) as tf.Scalar);
        return { x: batch.x, y: probs as tf.Tensor2D };
      },
      loss: (batch, info) => {
        seen.push(tf.max(batch.y).dataSync()[0] as number);
        return options.loss(batch, info);
      },
      callbacks: [{ name: 'count', onStepEnd: (_s, logs) => void counts.push(tf.memory().numTensors, logs.selfConfidence as number) }],
    });
    expect(seen).toHaveLength(6);
    for (const s of seen) expect(s).toBeLessThan(1); // the model's probabilities, not the one-hot labels
    const tensorCounts = counts.filter((_, i) => i % 2 === 0);
    expect(tensorCounts[5]).toBe(tensorCounts[1]);
    expect(counts.filter((_, i) => i % 2 === 1).every((c) => c > 1 / 3 && c <= 1)).toBe(true);
  });

  it('trains parameter groups at their own learning rates, and not at all before fromEpoch', async () => {
    const { model, options } = setup(4, { epochs: 1, optimizer: { lr: 0.1, momentum: 0, weightDecay: 0 }, schedule: { name: 'constant' } }, 0);
    const head = model.getLayer('head').trainableWeights.map((w) => w.read() as tf.Variable);
    const body = model.trainableWeights.map((w) => w.read() as tf.Variable).filter((v) => !head.includes(v));
    const before = body.map((v) => v.dataSync().slice());
    const headBefore = head.map((v) => v.dataSync().slice());
    await trainLoop({ ...options, groups: [{ name: 'body', variables: body, fromEpoch: 1 }, { name: 'head', variables: head, lr: 0.5 }] });
    body.forEach((v, i) => expect(Array.from(v.dataSync())).toEqual(Array.from(before[i] as Float32Array)));
    expect(Array.from(head[0]?.dataSync() ?? [])).not.toEqual(Array.from(headBefore[0] as Float32Array));
  });
});
