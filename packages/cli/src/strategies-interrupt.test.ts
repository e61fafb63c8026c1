import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrugal, fileHandler, runRecipe, selectBackend, TrainingInterrupted, validateRecipe } from '@frugal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlugins } from './default-plugins.js';
import { barsRecipe, writeBarsFolder } from './testing/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-interrupt-'));
const frugal = createFrugal({ plugins: defaultPlugins(), seed: 1 });
const tinyModel = { name: 'resnet20', params: { widthMultiplier: 0.25 } };

/** Parameters a strategy cannot do without, or that keep its first step small. */
const required: Record<string, Record<string, unknown>> = {
  distill: { teacher: { type: 'train', model: tinyModel } },
  fixmatch: { unlabelledRatio: 1 },
  comatch: { unlabelledRatio: 1, memorySize: 64 },
  'co-training': { unlabelledRatio: 1, peerInit: join(root, 'peer') },
};

beforeAll(async () => {
  // The fastest backend here (native where oneDNN is), as `frugal train` takes it.
  await selectBackend(frugal, 'auto');
  await writeBarsFolder(join(root, 'train'), 6, 0);
  await writeBarsFolder(join(root, 'test'), 2, 5);
  // co-training's second network starts from a saved network of the recipe's model.
  const peer = frugal.models.create(tinyModel.name, { ...tinyModel.params, numClasses: 3, inputShape: [12, 12, 1] });
  await peer.model.save(fileHandler(join(root, 'peer'), { overwrite: true }));
  peer.model.dispose();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Runs the strategy's recipe, changed by `edit`, until its first step is done; returns what it threw. */
async function firstStep(name: string, folder: string, edit: (raw: Record<string, unknown>) => void = () => {}): Promise<{ error: unknown; runDir: string }> {
  const raw = barsRecipe(root, 2, { name, strategy: { name, params: required[name] ?? {} } });
  (raw.data as Record<string, unknown>).labelledPerClass = 3;
  edit(raw);
  const recipe = validateRecipe(raw, frugal);
  const runDir = join(root, folder, name);
  const controller = new AbortController();
  controller.abort();
  const error = await runRecipe(frugal, recipe, { runDir, signal: controller.signal, quiet: true, log: () => {} }).catch((e: Error) => e);
  return { error, runDir };
}

describe.each(frugal.strategies.names())('strategy %s', (name) => {
  it('stops after its first training step once interrupted, with a checkpoint inside the run', async () => {
    const { error, runDir } = await firstStep(name, 'runs');
    expect(error).toBeInstanceOf(TrainingInterrupted);
    const checkpoint = (error as TrainingInterrupted).checkpoint as string;
    expect(checkpoint.startsWith(runDir)).toBe(true);
    expect(checkpoint, checkpoint).toMatch(/-step-0000001$/);
    expect(existsSync(join(checkpoint, 'state.json'))).toBe(true);
  });

  it('takes its first step with sharpness-aware minimisation, its loss run twice on one batch under MixUp', async () => {
    const { error } = await firstStep(name, 'sam', (raw) => {
      (raw.train as Record<string, unknown>).sam = { rho: 0.05 };
      raw.augment = [{ op: 'flip', p: 0.5 }, { op: 'mixup', alpha: 0.3 }];
    });
    expect(error, String(error)).toBeInstanceOf(TrainingInterrupted);
  });
});
