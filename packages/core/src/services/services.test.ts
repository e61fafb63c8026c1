import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrugal } from '../frugal.js';
import type { FrugalPlugin } from '../plugin.js';
import { runRecipe } from '../recipe/run-recipe.js';
import { validateRecipe } from '../recipe/validate.js';
import { memoryCheckpointStore, tinyPlugin, useCpu } from '../testing/index.js';
import { CHECKPOINT_STORE, LOGGER } from '../tokens.js';
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
    const runDir = join(root, 'memory');
    const frugal = createFrugal({ plugins: [tinyPlugin(), inMemory] });
    const first = await runRecipe(frugal, validateRecipe(raw(2), frugal), { runDir, quiet: true });
    expect(existsSync(join(runDir, 'checkpoints'))).toBe(false);
    const kept = store.saved.get(join(runDir, 'checkpoints')) ?? [];
    expect(kept.map((k) => k.state.epoch)).toEqual([1, 2]);

    const resumed = await runRecipe(frugal, validateRecipe(raw(3), frugal), { runDir, resume: true, quiet: true });
    const history = resumed.result.details?.history as unknown[];
    expect(history).toHaveLength(3);
    expect(history.slice(0, 2)).toEqual(first.result.details?.history); // restored from the store, not retrained
    const onDisk = join(root, 'disk');
    const plain = createFrugal({ plugins: [tinyPlugin()] });
    await runRecipe(plain, validateRecipe(raw(2), plain), { runDir: onDisk, quiet: true });
    const fromDisk = await runRecipe(plain, validateRecipe(raw(3), plain), { runDir: onDisk, resume: true, quiet: true });
    expect(existsSync(join(onDisk, 'checkpoints', 'latest.json'))).toBe(true);
    expect(resumed.evaluation?.loss).toBe(fromDisk.evaluation?.loss);
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
