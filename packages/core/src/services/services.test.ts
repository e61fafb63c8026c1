import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrugal, type Frugal } from '../frugal.js';
import type { FrugalPlugin } from '../plugin.js';
import { runRecipe } from '../recipe/run-recipe.js';
import { validateRecipe } from '../recipe/validate.js';
import { memoryCheckpointStore, tinyPlugin, useCpu } from '../testing/index.js';
import { CHECKPOINT_STORE, LOGGER } from '../tokens.js';
import { TrainingInterrupted } from '../train/train-loop.js';
import type { Logger } from './logger.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-services-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const raw = (epochs: number) => ({
  seed: 2,
  data: { dataset: 'stripes', labelledPerClass: 6, params: { count: 30, testCount: 12 } },
  model: { name: 'tiny-staged' },
  train: { epochs, batchSize: 6, optimizer: { lr: 0.1 } },
});

describe('services by container token', () => {
  it('a plugin swaps in an in-memory checkpoint store: runs checkpoint and resume there, and nothing lands on disk', async () => {
    const store = memoryCheckpointStore();
    const inMemory: FrugalPlugin = { name: 'memory-checkpoints', register: (r) => r.provide(CHECKPOINT_STORE, store) };
    /** A 3-epoch run stopped in its third epoch, then resumed: the result of the resumed run. */
    const stoppedAndResumed = async (frugal: Frugal, runDir: string) => {
      const controller = new AbortController();
      const stop = { name: 'stop', onEpochEnd: (s: { epoch: number }) => void (s.epoch === 1 && controller.abort()) };
      const recipe = validateRecipe(raw(3), frugal);
      await expect(runRecipe(frugal, recipe, { runDir, quiet: true, signal: controller.signal, callbacks: [stop] })).rejects.toBeInstanceOf(TrainingInterrupted);
      return runRecipe(frugal, recipe, { runDir, resume: true, quiet: true });
    };
    const runDir = join(root, 'memory');
    const frugal = createFrugal({ plugins: [tinyPlugin(), inMemory] });
    const resumed = await stoppedAndResumed(frugal, runDir);
    expect(existsSync(join(runDir, 'checkpoints'))).toBe(false);
    expect((store.saved.get(join(runDir, 'checkpoints')) ?? []).map((k) => k.state.epoch)).toEqual([2, 3]);
    expect(resumed.result.details?.history as unknown[]).toHaveLength(3);
    // Restored from the store, not retrained: the same numbers as a run never stopped, and as one stopped and resumed on disk.
    const plain = createFrugal({ plugins: [tinyPlugin()] });
    const straight = await runRecipe(plain, validateRecipe(raw(3), plain), { runDir: join(root, 'straight'), quiet: true });
    const fromDisk = await stoppedAndResumed(plain, join(root, 'disk'));
    expect(existsSync(join(root, 'disk', 'checkpoints', 'latest.json'))).toBe(true);
    expect(resumed.evaluation?.loss).toBe(straight.evaluation?.loss);
    expect(fromDisk.evaluation?.loss).toBe(straight.evaluation?.loss);
    const before = tf.memory().numTensors;
    store.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });

  it('a plugin replaces the logger: the run reports to it', async () => {
    const lines: string[] = [];
    const logger: Logger = { log: (m) => void lines.push(m) };
    const frugal = createFrugal({ plugins: [tinyPlugin(), { name: 'collecting-logger', register: (r) => r.provide(LOGGER, logger) }] });
    await runRecipe(frugal, validateRecipe(raw(1), frugal));
    expect(lines[0]).toMatch(/^Training tiny-staged with strategy "supervised" on 18 labelled images \(\+12 unlabelled\), 3 classes$/);
    expect(createFrugal().resolve(LOGGER)).not.toBe(logger);
  });
});
