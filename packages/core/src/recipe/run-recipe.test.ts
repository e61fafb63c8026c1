import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrugal } from '../frugal.js';
import { fileHandler } from '../io/file-handler.js';
import { evaluate } from '../metrics/evaluate.js';
import { tinyCnnPlugin, stripes, useCpu } from '../testing/index.js';
import type { LoopState, TrainingCallback } from '../train/callback.js';
import type { FrugalPlugin } from '../plugin.js';
import type { DatasetSource } from '../types.js';
import { runCallbacks } from './run-callbacks.js';
import { prepareData, runRecipe } from './run-recipe.js';
import { validateRecipe } from './validate.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-run-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const raw = {
  seed: 4,
  data: { dataset: 'stripes', labelledPerClass: 8, validationPerClass: 2, params: { count: 60, testCount: 30 } },
  model: { name: 'tiny-cnn' },
  train: { epochs: 8, batchSize: 8, optimizer: { lr: 0.1 } },
  callbacks: [{ name: 'early-stopping', params: { monitor: 'valLoss', patience: 50 } }],
};

describe('runRecipe', () => {
  it('trains, evaluates and writes the run directory', async () => {
    const frugal = createFrugal({ plugins: [tinyCnnPlugin()], seed: 4 });
    const recipe = validateRecipe(raw, frugal);
    const runDir = join(root, 'run');
    const run = await runRecipe(frugal, recipe, { runDir, quiet: true });
    expect(run.data).toMatchObject({ labelled: 24, unlabelled: 30, test: 30 });
    expect(run.evaluation?.accuracy).toBeGreaterThan(0.6);
    for (const f of ['recipe.json', 'metrics.jsonl', 'summary.json', 'model/model.json', 'model/frugal.json', 'checkpoints/latest.json']) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
    }
    const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(8);
    expect(lines[7]).toHaveProperty('valAccuracy');
    const saved = await tfl.loadLayersModel(fileHandler(join(runDir, 'model')));
    const again = evaluate(saved, stripes(30, 2), { normalization: { mean: [0.5], std: [0.25] } });
    expect(again.accuracy).toBe(run.evaluation?.accuracy);
    await expect(runRecipe(frugal, recipe, { runDir, quiet: true })).rejects.toThrow(
      /already holds a run; resume it with --resume, choose another directory, or pass --force/,
    );
  });

  it('resumes a run only with its own recipe, naming the first field that differs', async () => {
    const frugal = createFrugal({ plugins: [tinyCnnPlugin()], seed: 4 });
    const runDir = join(root, 'resumed');
    const recipe = validateRecipe({ ...raw, train: { ...raw.train, epochs: 2 } }, frugal);
    await runRecipe(frugal, recipe, { runDir, quiet: true });
    const written = readFileSync(join(runDir, 'recipe.json'), 'utf8');
    const other = validateRecipe({ ...raw, train: { ...raw.train, epochs: 2, optimizer: { lr: 0.05 } } }, frugal);
    await expect(runRecipe(frugal, other, { runDir, resume: true, quiet: true })).rejects.toThrow(
      `${join(runDir, 'recipe.json')} says train.optimizer.lr: 0.1, and the recipe given to resume it 0.05; a run resumes with its own recipe: resume with that file (frugal train --resume), or start a new run`,
    );
    expect(readFileSync(join(runDir, 'recipe.json'), 'utf8')).toBe(written);
    const again = await runRecipe(frugal, recipe, { runDir, resume: true, quiet: true });
    expect(again.evaluation).toBeDefined();
  });

  it('is deterministic: same seed, same accuracy and loss', async () => {
    const once = async () => {
      const frugal = createFrugal({ plugins: [tinyCnnPlugin()], seed: 4 });
      const r = await runRecipe(frugal, validateRecipe({ ...raw, train: { ...raw.train, epochs: 3 } }, frugal), { quiet: true });
      return r.evaluation?.loss;
    };
    expect(await once()).toBe(await once());
  });

  describe("the recipe's seed", () => {
    const short = { ...raw, train: { ...raw.train, epochs: 2 } };
    const lossOf = async (frugal: ReturnType<typeof createFrugal>, seed: number) =>
      (await runRecipe(frugal, validateRecipe({ ...short, seed }, frugal), { quiet: true })).evaluation?.loss;

    it('decides the numbers, whatever the Frugal instance was seeded with', async () => {
      const fromCode = await lossOf(createFrugal({ plugins: [tinyCnnPlugin()] }), 4);
      const asTheCommand = await lossOf(createFrugal({ plugins: [tinyCnnPlugin()], seed: 4 }), 4);
      expect(fromCode).toBe(asTheCommand);
      expect(await lossOf(createFrugal({ plugins: [tinyCnnPlugin()] }), 5)).not.toBe(fromCode);
    });

    it('is not shifted by models built before the run', async () => {
      const fresh = await lossOf(createFrugal({ plugins: [tinyCnnPlugin()], seed: 4 }), 4);
      const frugal = createFrugal({ plugins: [tinyCnnPlugin()], seed: 4 });
      frugal.models.create('tiny-cnn', { numClasses: 3, inputShape: [8, 8, 1] }).model.dispose();
      expect(await lossOf(frugal, 4)).toBe(fresh);
      // and a second run on the same instance repeats the first
      expect(await lossOf(frugal, 4)).toBe(fresh);
    });
  });

  it('writes metrics.jsonl once when the recipe names the metrics-jsonl callback', async () => {
    const frugal = createFrugal({ plugins: [tinyCnnPlugin()], seed: 4 });
    const named = { ...raw, train: { ...raw.train, epochs: 2 }, callbacks: [{ name: 'metrics-jsonl', params: { everyStep: false } }] };
    const runDir = join(root, 'named-metrics');
    await runRecipe(frugal, validateRecipe(named, frugal), { runDir, quiet: true });
    expect(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('quietens a progress callback the recipe names when the run is quiet', async () => {
    const frugal = createFrugal({ plugins: [tinyCnnPlugin()], seed: 4 });
    const named = validateRecipe({ ...raw, callbacks: [{ name: 'progress' }] }, frugal);
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (written.push(String(chunk)), true)) as typeof process.stderr.write;
    try {
      const epochEnd = (quiet: boolean) => {
        const [progress] = runCallbacks(frugal, named, { quiet });
        progress?.onEpochEnd?.({ epoch: 0, epochs: 1 } as LoopState, { loss: 0.5 });
      };
      epochEnd(true);
      expect(written).toEqual([]);
      epochEnd(false);
      expect(written).toEqual(['epoch 1/1  loss 0.5000\n']);
    } finally {
      process.stderr.write = write;
    }
  });

  it('stops early on the validation loss when train.earlyStoppingPatience is set, and says what it needs', () => {
    const frugal = createFrugal({ plugins: [tinyCnnPlugin()], seed: 4 });
    const withPatience = { ...raw, callbacks: [], train: { ...raw.train, earlyStoppingPatience: 2 } };
    const callbacks = runCallbacks(frugal, validateRecipe(withPatience, frugal), { quiet: true });
    expect(callbacks.map((cb) => cb.name)).toEqual(['progress-bar', 'early-stopping']);
    const stop = callbacks[1] as TrainingCallback;
    const state = { stopTraining: false } as LoopState;
    for (const valLoss of [1, 0.9, 0.95, 0.91]) stop.onEpochEnd?.(state, { valLoss });
    expect(state.stopTraining).toBe(true);
    const noValidation = { ...withPatience, data: { ...raw.data, validationPerClass: 0 } };
    expect(() => validateRecipe(noValidation, frugal)).toThrow(
      /recipe\.train\.earlyStoppingPatience: got 2; it watches the validation loss, and this recipe has no validation set\. Set data\.validationPerClass/,
    );
    expect(() => validateRecipe({ ...withPatience, callbacks: raw.callbacks }, frugal)).toThrow(/also names the early-stopping callback/);
  });
});

/** An instance with tiny-cnn, the dataset `name` that `source` gives, and a strategy that does nothing, registered as `strategy` says. */
function instanceWith(name: string, source: () => DatasetSource, strategy: { name: string; ignoresLabels?: boolean; streamsUnlabelled?: boolean }) {
  const plugin: FrugalPlugin = {
    name: '@acme/test-data',
    register(r) {
      r.dataset({ name, description: 'a test source', params: z.strictObject({}), factory: async () => source() });
      r.strategy({ description: 'does nothing', params: z.strictObject({}), factory: () => ({ run: async () => ({}) as never }), ...strategy });
    },
  };
  return createFrugal({ plugins: [tinyCnnPlugin(), plugin] });
}

describe('prepareData and a folder of unlabelled images', () => {
  /** A source whose unlabelled images come as a stream that counts how often it is loaded whole, and which images it decodes. */
  function streamingSource(strategy: { name: string; streamsUnlabelled?: boolean } = { name: 'reads-in-memory' }) {
    const loads = { count: 0, read: [] as number[] };
    const images = stripes(12, 3);
    const size = images.pixels.length / 12;
    const source = (): DatasetSource => ({
      name: 'streamed',
      train: stripes(30, 1),
      classNames: images.classNames,
      normalization: { mean: [0.5], std: [0.25] },
      unlabelledStream: {
        shape: images.shape,
        count: 12,
        classNames: images.classNames,
        dir: '/photos',
        file: (i: number) => `${i}.png`,
        read: async function* (indices: ArrayLike<number>, { batchSize }: { batchSize: number }) {
          const order = Array.from(indices);
          for (let at = 0; at < order.length; at += batchSize) {
            const batch = Int32Array.from(order.slice(at, at + batchSize));
            loads.read.push(...batch);
            const pixels = new Uint8Array(batch.length * size);
            batch.forEach((i, k) => pixels.set(images.pixels.subarray(i * size, (i + 1) * size), k * size));
            yield { indices: batch, pixels, skipped: [] };
          }
        },
        load: async () => {
          loads.count += 1;
          return images;
        },
      },
    });
    return { frugal: instanceWith('streamed', source, strategy), loads };
  }
  const recipe = (strategy: string) => ({ data: { dataset: 'streamed' }, model: { name: 'tiny-cnn' }, strategy: { name: strategy } });

  it('never decodes them for a strategy that ignores them (supervised), and lists them only', async () => {
    const { frugal, loads } = streamingSource();
    const data = await prepareData(frugal, validateRecipe(recipe('supervised'), frugal));
    expect(loads.count).toBe(0);
    expect(data.unlabelled).toBeUndefined();
    expect(data.unlabelledStream?.count).toBe(12);
  });

  it("adds the images a split leaves unlabelled to the folder's, whatever the strategy", async () => {
    const split = (strategy: string) => ({ ...recipe(strategy), data: { dataset: 'streamed', labelledPerClass: 4 } });
    const ignoring = streamingSource();
    const listed = await prepareData(ignoring.frugal, validateRecipe(split('supervised'), ignoring.frugal));
    expect([listed.labelled.labels.length, listed.unlabelled?.labels.length, listed.unlabelledStream?.count, ignoring.loads.count]).toEqual([12, 18, 12, 0]);
    const memory = streamingSource();
    const joined = await prepareData(memory.frugal, validateRecipe(split('reads-in-memory'), memory.frugal));
    expect([joined.unlabelled?.labels.length, joined.unlabelledStream, memory.loads.count]).toEqual([30, undefined, 1]);
    const streaming = streamingSource({ name: 'streams', streamsUnlabelled: true });
    const notes: string[] = [];
    const streamed = await prepareData(streaming.frugal, validateRecipe(split('streams'), streaming.frugal), (m) => notes.push(m));
    expect([streamed.unlabelled?.labels.length, streamed.unlabelledStream, streaming.loads.count]).toEqual([30, undefined, 1]);
    expect(notes).toEqual(['The 18 training images the split leaves unlabelled join the 12 of /photos, which are therefore loaded into memory, not read in batches']);
    const alone = streamingSource({ name: 'streams', streamsUnlabelled: true });
    const kept = await prepareData(alone.frugal, validateRecipe(recipe('streams'), alone.frugal));
    expect([kept.unlabelled, kept.unlabelledStream?.count, alone.loads.count]).toEqual([undefined, 12, 0]);
  });

  it('keeps data.unlabelledLimit of them, a seeded draw from the split\'s and the folder\'s alike, and decodes only those', async () => {
    const limited = (limit: number, seed = 0, strategy = 'reads-in-memory') => ({
      ...recipe(strategy),
      seed,
      data: { dataset: 'streamed', labelledPerClass: 4, unlabelledLimit: limit },
    });
    const memory = streamingSource();
    const notes: string[] = [];
    const data = await prepareData(memory.frugal, validateRecipe(limited(10), memory.frugal), (m) => notes.push(m));
    expect(notes).toEqual(['data.unlabelledLimit: 10 of the 30 unlabelled images, drawn at random']);
    expect([data.labelled.labels.length, data.unlabelled?.labels.length, data.unlabelledStream, memory.loads.count]).toEqual([12, 10, undefined, 0]);
    // Of the 30 (18 the split leaves, then the folder's 12), the folder's drawn are decoded, each once, and no other.
    expect(memory.loads.read.length).toBeGreaterThan(0);
    expect(memory.loads.read.length).toBeLessThan(10);
    expect(new Set(memory.loads.read).size).toBe(memory.loads.read.length);
    expect(memory.loads.read.every((i) => i >= 0 && i < 12)).toBe(true);
    const again = streamingSource();
    expect((await prepareData(again.frugal, validateRecipe(limited(10), again.frugal))).unlabelled?.pixels).toEqual(data.unlabelled?.pixels);
    const other = streamingSource();
    expect((await prepareData(other.frugal, validateRecipe(limited(10, 1), other.frugal))).unlabelled?.pixels).not.toEqual(data.unlabelled?.pixels);

    const streaming = streamingSource({ name: 'streams', streamsUnlabelled: true });
    const streamed = await prepareData(streaming.frugal, validateRecipe({ ...recipe('streams'), data: { dataset: 'streamed', unlabelledLimit: 5 } }, streaming.frugal));
    expect([streamed.unlabelled, streamed.unlabelledStream?.count, streaming.loads.count, streaming.loads.read]).toEqual([undefined, 5, 0, []]);
    const all = streamingSource({ name: 'streams', streamsUnlabelled: true });
    const unlimited = await prepareData(all.frugal, validateRecipe({ ...recipe('streams'), data: { dataset: 'streamed', unlabelledLimit: 12 } }, all.frugal));
    expect(unlimited.unlabelledStream?.count).toBe(12);
  });

  it('loads them whole for a strategy that neither streams nor ignores them', async () => {
    const { frugal, loads } = streamingSource();
    const data = await prepareData(frugal, validateRecipe(recipe('reads-in-memory'), frugal));
    expect(loads.count).toBe(1);
    expect(data.unlabelled?.labels.length).toBe(12);
    expect(data.unlabelledStream).toBeUndefined();
  });
});

describe('prepareData and a dataset without labels', () => {
  function unlabelledOnly() {
    const images = stripes(12, 3);
    const source = (): DatasetSource => ({
      name: 'photos',
      train: { shape: images.shape, pixels: new Uint8Array(0), labels: new Int32Array(0), classNames: [] },
      unlabelled: images,
      classNames: [],
    });
    return instanceWith('photos', source, { name: 'pretext', ignoresLabels: true });
  }
  const recipe = (strategy: string) => ({ data: { dataset: 'photos', labelledPerClass: 4 }, model: { name: 'tiny-cnn' }, strategy: { name: strategy } });

  it('gives its images to a strategy that reads no label', async () => {
    const frugal = unlabelledOnly();
    const data = await prepareData(frugal, validateRecipe(recipe('pretext'), frugal));
    expect(data.labelled.labels.length).toBe(0);
    expect(data.unlabelled?.labels.length).toBe(12);
  });

  it('is refused for a strategy that learns from labels, naming the ones that do not', async () => {
    const frugal = unlabelledOnly();
    await expect(prepareData(frugal, validateRecipe(recipe('supervised'), frugal))).rejects.toThrow(
      /^Dataset "photos" has no labelled images, and strategy "supervised" learns from labels; .*run a strategy that reads none first \(pretext\) and let `frugal suggest` choose which to label$/,
    );
  });
});
