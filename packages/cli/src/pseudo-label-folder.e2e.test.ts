import { createFrugal, runRecipe, selectBackend, validateRecipe, type Frugal, type RunResult } from '@frugal/core';
import { StreamedFolder } from '@frugal/data';
import { startQueueWorker } from '@frugal/distributed';
import { standardPlugins } from '@frugal/preset-standard';
import type { GenerationRecord } from '@frugal/semi-supervised';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { barsRecipe, frugalSync, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';
import { freePort, RedisServer, redisServerBin } from './testing/redis-server.js';
import { guideSection } from './testing/guide.js';

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

  it("joins the labelled images a split leaves over to the folder's: loaded together for a strategy that reads them, counted for one that does not", async () => {
    const split = (name: string, strategy: string) => {
      const r = recipe(name, 'pseudo-label', {});
      return validateRecipe({ ...r, data: { ...r.data, labelledPerClass: 2 }, strategy: strategy === 'supervised' ? { name: strategy } : r.strategy }, frugal);
    };
    const load = vi.spyOn(StreamedFolder.prototype, 'load');
    const notes: string[] = [];
    try {
      const run = await runRecipe(frugal, split('split-pseudo', 'pseudo-label'), { log: (m) => notes.push(m), callbacks: [] });
      expect(load).toHaveBeenCalledTimes(1);
      expect(run.data).toMatchObject({ labelled: 6, unlabelled: 12 + UNLABELLED });
      expect(notes).toContain(`The 12 training images the split leaves unlabelled join the ${UNLABELLED} of ${join(root, 'unlabelled')}, which are therefore loaded into memory, not read in batches`);
      run.result.model.model.dispose();
      notes.length = 0;
      const supervised = await runRecipe(frugal, split('split-supervised', 'supervised'), { log: (m) => notes.push(m) });
      expect(load).toHaveBeenCalledTimes(1);
      expect(notes).toContain(
        `Training resnet20 with strategy "supervised" on 6 labelled images (+${12 + UNLABELLED} unlabelled, 12 of them left by the split and ${UNLABELLED} in ${join(root, 'unlabelled')}, which this strategy does not read), 3 classes`,
      );
      supervised.result.model.model.dispose();
    } finally {
      load.mockRestore();
    }
  });

  it('is read in batches by a pretext, loaded whole for a strategy registered without streaming, to the same numbers, and never for one that ignores it (supervised)', async () => {
    const load = vi.spyOn(StreamedFolder.prototype, 'load');
    const read = vi.spyOn(StreamedFolder.prototype, 'read');
    try {
      const pretext = validateRecipe({ ...recipe('pretext', 'pseudo-label', {}), strategy: { name: 'rotation-pretext', params: {} } }, frugal);
      const streamed = await runRecipe(frugal, pretext, { quiet: true });
      expect(load).not.toHaveBeenCalled();
      expect(read).toHaveBeenCalled();
      expect(streamed.data.unlabelled).toBe(UNLABELLED);
      // The same strategy registered without streamsUnlabelled: the run loads the folder first.
      const shipped = frugal.strategies.get('rotation-pretext');
      const whole = createFrugal({ plugins: [standardPlugins(), { name: 'whole', register: (r) => r.strategy({ ...shipped, name: 'whole-pretext', streamsUnlabelled: false }) }], seed: 0 });
      await selectBackend(whole, 'wasm');
      const loaded = await runRecipe(whole, validateRecipe({ ...pretext, strategy: { name: 'whole-pretext', params: {} } }, whole), { quiet: true });
      expect(load).toHaveBeenCalledTimes(1);
      expect(weightsOf(loaded)).toEqual(weightsOf(streamed));
      [streamed, loaded].forEach((run) => run.result.model.model.dispose());
      const plain = validateRecipe({ ...recipe('listed', 'pseudo-label', {}), strategy: { name: 'supervised', params: {} } }, frugal);
      const supervised = await runRecipe(frugal, plain, { quiet: true });
      expect(load).toHaveBeenCalledTimes(1);
      expect(supervised.data.unlabelled).toBe(UNLABELLED);
      supervised.result.model.model.dispose();
    } finally {
      load.mockRestore();
      read.mockRestore();
    }
  });
});

describe('strategy.params.teacherLabels: the file frugal label wrote, in place of the teacher\'s own pass', () => {
  it('trains the same student as the teacher labelling the folder in the run', async () => {
    requireBuiltCli();
    const supervised = validateRecipe({ ...recipe('teacher', 'pseudo-label', {}), strategy: { name: 'supervised', params: {} } }, frugal);
    const teacher = await runRecipe(frugal, supervised, { runDir: join(root, 'runs', 'teacher'), quiet: true });
    teacher.result.model.model.dispose();
    // The command of the guide ("Many machines"), on the backend of this process.
    const label = frugalSync(['label', '--teacher', 'runs/teacher', '--unlabelled', 'unlabelled', '--out', 'labels.jsonl', '--backend', 'wasm'], root);
    expect([label.code, label.stderr]).toEqual([0, '']);
    const student = (name: string, params: Record<string, unknown>) =>
      validateRecipe({ ...recipe(name, 'pseudo-label', { teacherEpochs: 0, ...params }), model: { ...supervised.model, init: join(root, 'runs', 'teacher') } }, frugal);
    const inRun = await runRecipe(frugal, student('in-run', {}), { quiet: true });
    const fromFile = await runRecipe(frugal, student('from-file', { teacherLabels: join(root, 'labels.jsonl') }), { quiet: true });
    const [a, b] = [generations(fromFile)[1]?.pseudoLabels, generations(inRun)[1]?.pseudoLabels];
    expect(a).toEqual(b);
    expect(a?.kept).toBeGreaterThan(0);
    expect(weightsOf(fromFile)).toEqual(weightsOf(inRun));
    expect(fromFile.evaluation?.loss).toBe(inRun.evaluation?.loss);
    // The file is what the student learns from: the first 10 of its lines are all it is offered.
    writeFileSync(join(root, 'ten.jsonl'), `${readFileSync(join(root, 'labels.jsonl'), 'utf8').split('\n').slice(0, 10).join('\n')}\n`);
    const fromTen = await runRecipe(frugal, student('from-ten', { teacherLabels: join(root, 'ten.jsonl') }), { quiet: true });
    expect(generations(fromTen)[1]?.pseudoLabels?.candidates).toBe(10);
    for (const run of [inRun, fromFile, fromTen]) run.result.model.model.dispose();
  });

  it('runs the guide\'s commands and student.yaml as they are written ("Many machines")', () => {
    const { commands, yaml: [yaml = ''] } = guideSection('distributed', 'Training on a label file');
    expect(yaml).toMatch(/^# student\.yaml\n/);
    expect(commands).toHaveLength(2);
    // The guide's folders: photos/ holding this test's images, runs/ holding its teacher.
    const here = join(root, 'guide');
    mkdirSync(join(here, 'photos'), { recursive: true });
    for (const folder of ['train', 'test', 'unlabelled']) symlinkSync(join(root, folder), join(here, 'photos', folder));
    symlinkSync(join(root, 'runs'), join(here, 'runs'));
    writeFileSync(join(here, 'student.yaml'), yaml);
    const [label, train] = commands.map((command) => frugalSync(command, here));
    expect([label?.code, label?.stderr]).toEqual([0, '']);
    expect(readFileSync(join(here, 'labels.jsonl'), 'utf8').trim().split('\n')).toHaveLength(UNLABELLED);
    expect(train?.code).toBe(0);
    expect(train?.stderr).toContain(`pseudo-label generation 1: the pseudo-labels of labels.jsonl for ${join(here, 'photos', 'unlabelled')}, not the teacher's`);
    expect(train?.stderr).not.toMatch(/training .* \(teacher/);
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
    const worker = await startQueueWorker({ url: redis.url });
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
