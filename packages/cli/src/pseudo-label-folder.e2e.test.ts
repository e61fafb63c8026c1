import { createFrugal, runRecipe, selectBackend, validateRecipe, type Frugal, type RunResult } from '@frugal/core';
import { StreamedFolder } from '@frugal/data';
import { startQueueWorker } from '@frugal/distributed';
import { standardPlugins } from '@frugal/preset-standard';
import type { GenerationRecord } from '@frugal/semi-supervised';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { barsRecipe, writeBarsFolder } from './testing/e2e.js';
import { freePort, RedisServer, redisServerBin } from './testing/redis-server.js';

// The unlabelled side of the pseudo-label strategies as a folder of PNG files: read in batches as
// the run uses it, and labelled in this process or on a job queue's workers, to the same numbers.
const root = mkdtempSync(join(tmpdir(), 'frugal-pl-folder-'));
const UNLABELLED = 48;
let frugal: Frugal;

/** Unlabelled 12×12 grey bars (a band of three, noisy), written with sharp. */
async function writeUnlabelled(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const px = new Uint8Array(12 * 12);
    for (let p = 0; p < px.length; p++) px[p] = (Math.floor(((p % 12) * 3) / 12) === i % 3 ? 190 : 50) + ((p * 5 + i * 11) % 40);
    await sharp(px, { raw: { width: 12, height: 12, channels: 1 } }).png().toFile(join(dir, `u${String(i).padStart(3, '0')}.png`));
  }
}

function recipe(name: string, strategy: string, params: Record<string, unknown>) {
  const base = barsRecipe(root, 1, { name }) as { data: { params: Record<string, unknown> } };
  return validateRecipe(
    {
      ...base,
      data: { ...base.data, params: { ...base.data.params, unlabelledDir: join(root, 'unlabelled') } },
      strategy: { name: strategy, params: { confidenceThreshold: 0.34, teacherEpochs: 4, stepsPerEpoch: 3, ...params } },
    },
    frugal,
  );
}

function generations(run: RunResult): GenerationRecord[] {
  return run.result.details?.generations as GenerationRecord[];
}

function weightsOf(run: RunResult): number[][] {
  return run.result.model.model.getWeights().map((w) => Array.from(w.dataSync()));
}

beforeAll(async () => {
  await writeBarsFolder(join(root, 'train'), 6, 1);
  await writeBarsFolder(join(root, 'test'), 2, 2);
  await writeUnlabelled(join(root, 'unlabelled'), UNLABELLED);
  frugal = createFrugal({ plugins: standardPlugins(), seed: 0 });
  await selectBackend(frugal, 'wasm');
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('pseudo-label on an unlabelled folder of PNG files', () => {
  it('reads the folder in batches as it uses it, never whole', async () => {
    const load = vi.spyOn(StreamedFolder.prototype, 'load');
    const read = vi.spyOn(StreamedFolder.prototype, 'read');
    try {
      const run = await runRecipe(frugal, recipe('streamed', 'pseudo-label', {}), { quiet: true });
      expect(load).not.toHaveBeenCalled();
      // The teacher's labelling pass, then one read per student epoch.
      expect(read.mock.calls.length).toBeGreaterThanOrEqual(2);
      expect(read.mock.calls.every(([, options]) => options.batchSize <= 64)).toBe(true);
      expect(run.data.unlabelled).toBe(UNLABELLED);
      expect(generations(run)[1]?.pseudoLabels?.candidates).toBe(UNLABELLED);
      run.result.model.model.dispose();
    } finally {
      load.mockRestore();
      read.mockRestore();
    }
  });

  it('is loaded whole for a strategy that does not stream (distill, rotation-pretext, supervised)', async () => {
    const load = vi.spyOn(StreamedFolder.prototype, 'load');
    try {
      const plain = validateRecipe({ ...recipe('whole', 'pseudo-label', {}), strategy: { name: 'supervised', params: {} } }, frugal);
      const run = await runRecipe(frugal, plain, { quiet: true });
      expect(load).toHaveBeenCalledTimes(1);
      expect(run.data.unlabelled).toBe(UNLABELLED);
      run.result.model.model.dispose();
    } finally {
      load.mockRestore();
    }
  });
});

const redisMissing = redisServerBin ? '' : ' (skipped: redis-server is not installed; apt-get install redis-server)';

describe.skipIf(!redisServerBin)(`strategy.params.queue, on a real redis-server${redisMissing}`, () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
  });
  afterAll(() => redis?.stop());

  it.each([
    ['pseudo-label', {}],
    ['noisy-student', { iterations: 1, noise: { augment: [{ op: 'flip' }] } }],
  ] as const)('%s: the teacher labels the folder on a worker, and the run equals the in-process one', async (strategy, params) => {
    const here = await runRecipe(frugal, recipe(`${strategy}-here`, strategy, params), { runDir: join(root, 'runs', `${strategy}-here`), quiet: true });
    const worker = startQueueWorker({ url: redis.url });
    let queued: RunResult;
    try {
      const runDir = join(root, 'runs', `${strategy}-queue`);
      queued = await runRecipe(frugal, recipe(`${strategy}-queue`, strategy, { ...params, queue: redis.url }), { runDir, quiet: true });
      // The workers' pseudo-label file, merged from the shards: one line per image.
      const file = join(runDir, strategy, 'generation-1', 'pseudo-labels.jsonl');
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(UNLABELLED);
      expect(existsSync(join(runDir, strategy, 'generation-0', 'model', 'frugal.json'))).toBe(true);
    } finally {
      await worker.close();
    }
    // The same images kept, as the same classes, with the same confidences: the workers run the
    // teacher's forward pass on the same batches as this process.
    const [a, b] = [generations(queued)[1]?.pseudoLabels, generations(here)[1]?.pseudoLabels];
    expect(a).toEqual(b);
    expect(a?.kept).toBeGreaterThan(0);
    expect(weightsOf(queued)).toEqual(weightsOf(here));
    expect(queued.evaluation?.loss).toBe(here.evaluation?.loss);
    here.result.model.model.dispose();
    queued.result.model.model.dispose();
  });
});
