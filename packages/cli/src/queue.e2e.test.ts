import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOnQueue, startQueueWorker } from '@frugal/distributed';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, bin, frugalAsync, frugalSync, oneCleanLine, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';
import { guideSection } from './testing/guide.js';
import { freePort, RedisServer, redisServerBin } from './testing/redis-server.js';

let root: string;
let teacher: string;
let otherTeacher: string;
let unlabelled: string;
let reference: string;
const started: { child: { kill: (signal: NodeJS.Signals) => boolean; exitCode: number | null } }[] = [];

/** 64 unlabelled 24×24 grey images (three kinds of bar, decoded down to the teacher's 12×12). */
async function writeUnlabelled(dir: string, count: number): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const px = new Uint8Array(24 * 24);
    for (let p = 0; p < px.length; p++) px[p] = (Math.floor(((p % 24) * 3) / 24) === i % 3 ? 190 : 50) + ((p * 5 + i * 11) % 40);
    await sharp(px, { raw: { width: 24, height: 24, channels: 1 } }).png().toFile(join(dir, `u${String(i).padStart(3, '0')}.png`));
  }
}

const labelArgs = (out: string, dir = unlabelled) => ['label', '--teacher', teacher, '--unlabelled', dir, '--out', out, '--batch-size', '2', '--shard-size', '8', '--backend', 'wasm'];

/** A worker whose jobs' locks last `lockMs` without renewal: short, so that a dead worker's job moves on quickly. */
function startWorker(url: string, extra: string[] = [], lockMs = 1000, cwd = root) {
  const w = frugalAsync(['worker', '--queue', url, '--lock-duration', String(lockMs), '--backend', 'wasm', ...extra], cwd);
  started.push(w);
  return w;
}

async function waitFor(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

beforeAll(async () => {
  requireBuiltCli();
  root = await mkdtemp(join(tmpdir(), 'frugal-label-'));
  await writeBarsFolder(join(root, 'train'), 6, 1);
  await writeBarsFolder(join(root, 'test'), 2, 2);
  writeFileSync(join(root, 'recipe.json'), JSON.stringify(barsRecipe(root, 1)));
  const trained = frugalSync(['train', 'recipe.json', '-q'], root);
  expect(trained.code, trained.stderr).toBe(0);
  teacher = join(root, 'runs', 'bars');
  // The same network with one weight changed: another teacher, by its hash.
  otherTeacher = join(root, 'runs', 'other');
  cpSync(teacher, otherTeacher, { recursive: true });
  const weights = readFileSync(join(otherTeacher, 'model', 'weights.bin'));
  weights[0] = (weights[0]! + 1) % 256;
  writeFileSync(join(otherTeacher, 'model', 'weights.bin'), weights);
  unlabelled = join(root, 'unlabelled');
  await writeUnlabelled(unlabelled, 64);
  const single = frugalSync(labelArgs(join(root, 'single.jsonl')), root);
  expect(single.code, single.stderr).toBe(0);
  reference = readFileSync(join(root, 'single.jsonl'), 'utf8');
}, 120_000);

afterEach(() => {
  for (const w of started.splice(0)) if (w.child.exitCode === null) w.child.kill('SIGKILL');
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('frugal label, in one process', () => {
  it('writes one JSON line per image, in file order, with the class, its confidence and the softmax', () => {
    const lines = reference.trim().split('\n').map((l) => JSON.parse(l) as { file: string; class: string; label: number; confidence: number; probabilities: number[] });
    expect(lines.map((l) => l.file)).toEqual(Array.from({ length: 64 }, (_, i) => `u${String(i).padStart(3, '0')}.png`));
    for (const l of lines) {
      expect(l.probabilities).toHaveLength(3);
      expect(l.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
      expect(l.confidence).toBe(Math.max(...l.probabilities));
      expect(['left', 'middle', 'right'][l.label]).toBe(l.class);
    }
  });

  it('gives the same bytes again, and exits 2 with one line on bad input', async () => {
    const closedPort = await freePort();
    const [again, badShard, badQueue, evalNoData, noTeacher, noRedis, workerNoRedis] = await Promise.all([
      frugalAsync(labelArgs(join(root, 'again.jsonl')), root).done,
      frugalAsync([...labelArgs(join(root, 'x.jsonl')), '--shard-size', '7'], root).done,
      frugalAsync([...labelArgs(join(root, 'x.jsonl')), '--queue', 'http://nowhere'], root).done,
      frugalAsync(['eval', teacher, '--queue', 'redis://127.0.0.1:1'], root).done,
      frugalAsync(['label', '--teacher', join(root, 'nope'), '--unlabelled', unlabelled, '--out', join(root, 'x.jsonl')], root).done,
      frugalAsync([...labelArgs(join(root, 'x.jsonl')), '--queue', `redis://127.0.0.1:${closedPort}`], root).done,
      frugalAsync(['worker', '--queue', `redis://127.0.0.1:${closedPort}`], root).done,
    ]);
    expect(again.code).toBe(0);
    expect(readFileSync(join(root, 'again.jsonl'), 'utf8')).toBe(reference);
    for (const bad of [badShard, badQueue, evalNoData, noTeacher, noRedis, workerNoRedis]) {
      expect(bad.code).toBe(2);
      expect(oneCleanLine(bad.stderr), bad.stderr).toBe(true);
    }
    expect(badShard.stderr).toMatch(/--shard-size: got 7, not a multiple of the batch size 2; use 8/);
    expect(badQueue.stderr).toMatch(/--queue: got "http:\/\/nowhere"; expected redis:\/\/HOST:PORT/);
    expect(evalNoData.stderr).toMatch(/frugal eval --queue needs --data DIR/);
    expect(noTeacher.stderr).toMatch(/Teacher ".*nope" does not exist; give a run directory written by frugal train or a model folder written by frugal convert/);
    for (const r of [noRedis, workerNoRedis]) expect(r.stderr).toMatch(new RegExp(`Cannot reach the queue at redis://127.0.0.1:${closedPort} \\(.+\\); start Redis there`));
  });
});

describe('frugal label --shard-index (one task of an indexed batch job)', () => {
  it('labels one shard into the shard folder; once every shard is stored, a run without it joins them into the same file', async () => {
    const out = join(root, 'indexed.jsonl');
    const args = [...labelArgs(out), '--shard-size', '32'];
    // Two tasks at once, as an indexed job runs them (the index from JOB_COMPLETION_INDEX, as the
    // docs' Kubernetes Job passes it); a shard index past the last is refused.
    const task = (index: string) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
        const command = `"${process.execPath}" "${bin}" ${args.map((a) => `'${a}'`).join(' ')} --shard-index "$JOB_COMPLETION_INDEX"`;
        const child = spawn('sh', ['-c', command], { cwd: root, env: { ...process.env, FORCE_COLOR: '0', JOB_COMPLETION_INDEX: index } });
        let [stdout, stderr] = ['', ''];
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const [second, first, bad] = await Promise.all([task('1'), task('0'), task('2')]);
    expect(second.code, second.stderr).toBe(0);
    expect(first.code, first.stderr).toBe(0);
    expect(second.stdout).toMatch(/Stored shard 1 of 2 \(\d+ images labelled so far\)/);
    expect(existsSync(out)).toBe(false);
    const joined = frugalSync(args, root);
    expect(joined.code, joined.stderr).toBe(0);
    expect(joined.stdout).toMatch(/Labelled 64 of 64 images in 2 shards/);
    expect(readFileSync(out, 'utf8')).toBe(reference);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shard-index: got 2; the folder has 2 shards of 32 images, numbered 0 to 1/);
  });

  it('runs the guide\'s commands as written ("As a Kubernetes Indexed Job"): a task per shard index, then the join', () => {
    const { commands } = guideSection('distributed', 'As a Kubernetes Indexed Job, without a queue');
    expect(commands).toHaveLength(2);
    // The pods' volume at /data: here a folder of the test, with the teacher and the images.
    const data = join(root, 'k8s');
    mkdirSync(join(data, 'runs'), { recursive: true });
    symlinkSync(teacher, join(data, 'runs', 'T'));
    symlinkSync(unlabelled, join(data, 'photos'));
    const sh = (command: string[], index?: string) =>
      spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" ${command.map((arg) => arg.replace(/^\/data\//, `${data}/`)).join(' ')}`], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, FORCE_COLOR: '0', ...(index === undefined ? {} : { JOB_COMPLETION_INDEX: index }) },
      });
    const task = sh(commands[0]!, '0');
    expect(task.status, task.stderr).toBe(0);
    expect(task.stdout).toMatch(/Stored shard 0 of 1/);
    const joined = sh(commands[1]!);
    expect(joined.status, joined.stderr).toBe(0);
    expect(readFileSync(join(data, 'labels.jsonl'), 'utf8').trim().split('\n')).toHaveLength(64);
  });
});

const redisMissing = redisServerBin ? '' : ' (skipped: redis-server is not installed; apt-get install redis-server)';

describe.skipIf(!redisServerBin)(`frugal label --queue with frugal worker, on a real redis-server${redisMissing}`, () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = new RedisServer(await freePort());
    await redis.start();
  });
  afterAll(() => redis?.stop());

  it('three workers, one killed with SIGKILL mid-shard: the shard is done elsewhere, and the file equals the single-process one', async () => {
    const workers = [startWorker(redis.url), startWorker(redis.url), startWorker(redis.url)];
    const out = join(root, 'killed.jsonl');
    // Shards of 16 batches, so that a worker is inside one for a while.
    const label = frugalAsync([...labelArgs(out), '--shard-size', '32', '--queue', redis.url], root);
    // Kill the first worker to report progress inside a shard it has not finished.
    const unfinished = (stderr: string) => {
      const started = [...stderr.matchAll(/(\S+): 2 images/g)].map((m) => m[1]!);
      return started.filter((shard) => !stderr.includes(`${shard}: done`));
    };
    let victim = -1;
    await waitFor('a worker inside a shard', () => {
      victim = workers.findIndex((w) => unfinished(w.stderr()).length > 0);
      return victim >= 0;
    });
    workers[victim]!.child.kill('SIGKILL');
    const result = await label.done;
    expect(result.code, result.stderr).toBe(0);
    // What the killed worker left unfinished, another finished.
    const left = unfinished(workers[victim]!.stderr());
    expect(left).toHaveLength(1);
    expect(workers.filter((_, i) => i !== victim).some((w) => w.stderr().includes(`${left[0]}: done`))).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe(reference);
  });

  it('Redis stopped and started again (empty) mid-run: the run completes with the same file', async () => {
    const workers = [startWorker(redis.url), startWorker(redis.url)];
    const out = join(root, 'restarted.jsonl');
    const label = frugalAsync([...labelArgs(out), '--queue', redis.url], root);
    await waitFor('a shard done', () => workers.some((w) => /: done/.test(w.stderr())));
    await redis.stop();
    await new Promise((r) => setTimeout(r, 1000));
    await redis.start();
    const result = await label.done;
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(reference);
  });

  it('a corrupt image in a shard is reported with its path; the rest are labelled as in one process', async () => {
    const dir = join(root, 'with-bad');
    cpSync(unlabelled, dir, { recursive: true });
    writeFileSync(join(dir, 'u010.png'), Buffer.from('\x89PNG\r\n\x1a\nnot really a png'));
    startWorker(redis.url);
    startWorker(redis.url);
    const [queued, single] = await Promise.all([
      frugalAsync([...labelArgs(join(root, 'bad-queued.jsonl'), dir), '--queue', redis.url], root).done,
      frugalAsync(labelArgs(join(root, 'bad-single.jsonl'), dir), root).done,
    ]);
    expect(queued.code, queued.stderr).toBe(0);
    expect(queued.stderr).toMatch(/Skipped image "u010\.png": it could not be decoded \(.+\)/);
    expect(queued.stdout).toMatch(/Labelled 63 of 64 images in 8 shards \(1 skipped\)/);
    const lines = readFileSync(join(root, 'bad-queued.jsonl'), 'utf8');
    expect(lines).toBe(reference.split('\n').filter((l) => !l.includes('"u010.png"')).join('\n'));
    expect(single.code, single.stderr).toBe(0);
    expect(readFileSync(join(root, 'bad-single.jsonl'), 'utf8')).toBe(lines);
  });

  it('frugal eval --data DIR --queue: workers evaluate the shards; the evaluation is the one of a single process', async () => {
    // The worker runs in a folder of its own: the run directory, given relative to the command's folder, reaches it whole.
    const elsewhere = join(root, 'worker-home');
    mkdirSync(elsewhere, { recursive: true });
    startWorker(redis.url, [], 1000, elsewhere);
    const queued = frugalAsync(['eval', 'runs/bars', '--data', join(root, 'test'), '--queue', redis.url, '--batch-size', '2', '--shard-size', '2', '--json'], root);
    const single = frugalSync(['eval', teacher, '--data', join(root, 'test'), '--backend', 'wasm', '--json'], root);
    const result = await queued.done;
    expect(result.code, result.stderr).toBe(0);
    expect(single.code, single.stderr).toBe(0);
    const [a, b] = [JSON.parse(result.stdout), JSON.parse(single.stdout)];
    expect(a.count).toBe(6);
    expect(a).toEqual(b);
  });

  it('a run whose shard failed every try is tried afresh when submitted again, its cause fixed', async () => {
    let fixed = false;
    const worker = await startQueueWorker({
      url: redis.url,
      handlers: {
        sweep: async () => {
          if (!fixed) throw new Error('the data folder is not mounted yet');
          return { accuracy: 1 };
        },
      },
    });
    const stored: unknown[] = [];
    const submit = () =>
      runOnQueue({ url: redis.url, runId: 'given-up', attempts: 1, pollMs: 20, jobs: [{ shardId: 's0', name: 'sweep', data: {}, size: 1 }], complete: async (_id, result) => void stored.push(result) });
    try {
      await expect(submit()).rejects.toThrow('Shard s0 failed on each of its 1 tries; the last error: the data folder is not mounted yet');
      fixed = true;
      await submit();
      expect(stored).toEqual([{ accuracy: 1 }]);
    } finally {
      await worker.close();
    }
  });

  it('stops waiting when interrupted, leaving the jobs queued; the same run submitted again collects them', async () => {
    const stored: unknown[] = [];
    const submit = (signal?: AbortSignal) =>
      runOnQueue({ url: redis.url, runId: 'interrupted', pollMs: 20, jobs: [{ shardId: 's0', name: 'sweep', data: {}, size: 1 }], complete: async (_id, result) => void stored.push(result), ...(signal ? { signal } : {}) });
    // No worker yet: without the signal this would wait for ever.
    await submit(AbortSignal.timeout(300));
    expect(stored).toEqual([]);
    const worker = await startQueueWorker({ url: redis.url, handlers: { sweep: async () => ({ accuracy: 0.5 }) } });
    try {
      await submit();
      expect(stored).toEqual([{ accuracy: 0.5 }]);
    } finally {
      await worker.close();
    }
  });

  it('frugal sweep --queue: each run a job, trained once; the table is the one of a single process', async () => {
    // Each run (16 epochs, in a child process) takes longer than the 2.5 s lock: only renewals keep it
    // with its worker. (A 1 s lock, renewed every 0.5 s, was now and then lost on a busy machine.)
    const workers = [startWorker(redis.url, [], 2500), startWorker(redis.url, [], 2500)];
    const args = ['sweep', 'recipe.json', '--seeds', '0-1', '--set', 'train.optimizer.lr=0.01,0.03', '--set', 'train.epochs=16', '--json'];
    const queued = frugalAsync([...args, '--run-dir', 'sweep-queued', '--queue', redis.url], root);
    const single = frugalSync([...args, '--run-dir', 'sweep-single'], root);
    const result = await queued.done;
    expect(result.code, result.stderr).toBe(0);
    expect(single.code, single.stderr).toBe(0);
    // The tables, from the sweep.json each wrote (a child's stdout may still be arriving when it exits).
    const read = (dir: string) => JSON.parse(readFileSync(join(root, dir, 'sweep.json'), 'utf8')) as { runs: { setting: string; seed: number; accuracy: number }[] };
    const strip = (r: ReturnType<typeof read>) => r.runs.map(({ setting, seed, accuracy }) => ({ setting, seed, accuracy }));
    expect(strip(read('sweep-queued'))).toEqual(strip(read('sweep-single')));
    expect(read('sweep-single').runs).toHaveLength(4);
    // Each run trains in a child process, so its worker keeps renewing the job's lock: no job is
    // given to a second worker while the first still trains it.
    const starts = workers.flatMap((w) => [...w.stderr().matchAll(/(\S+): started/g)].map((m) => m[1]));
    const logs = workers.map((w) => w.stderr()).join('\n');
    expect(starts, logs).toHaveLength(4);
    expect(new Set(starts).size, logs).toBe(4);
  });

  it('runs the guide\'s commands as written ("The commands"), on this redis-server and these folders', async () => {
    const { commands } = guideSection('distributed', 'The commands');
    expect(commands.map((c) => c[0])).toEqual(['label', 'worker', 'label', 'eval', 'sweep']);
    // The guide's machine: runs/T the teacher, photos/ the unlabelled images, /shared a folder the
    // workers share (here the test's own), recipe.yaml a small recipe; its Redis is this test's.
    const here = join(root, 'guide');
    mkdirSync(join(here, 'runs'), { recursive: true });
    mkdirSync(join(here, 'shared'));
    symlinkSync(teacher, join(here, 'runs', 'T'));
    symlinkSync(unlabelled, join(here, 'photos'));
    symlinkSync(unlabelled, join(here, 'shared', 'photos'));
    symlinkSync(join(root, 'test'), join(here, 'shared', 'test'));
    const { output: _output, ...recipe } = barsRecipe(root, 1);
    writeFileSync(join(here, 'recipe.yaml'), JSON.stringify(recipe));
    const [single, worker, ...queued] = commands.map((command) =>
      command.map((arg) => arg.replace('redis://10.0.0.5:6379', redis.url).replace(/^\/shared\//, `${here}/shared/`)),
    );
    const alone = frugalSync(single!, here);
    expect(alone.code, alone.stderr).toBe(0);
    const labelled = readFileSync(join(here, 'labels.jsonl'), 'utf8');
    expect(labelled.trim().split('\n')).toHaveLength(64);
    // One worker per core.
    const workers = [frugalAsync(worker!, here), frugalAsync(worker!, here)];
    started.push(...workers);
    const results = [];
    for (const command of queued) {
      const r = await frugalAsync(command, here).done;
      expect(r.code, `frugal ${command.join(' ')}\n${r.stderr}`).toBe(0);
      results.push(r);
    }
    // Through the queue, the same bytes as in one process; the evaluation and the sweep's table.
    expect(readFileSync(join(here, 'labels.jsonl'), 'utf8')).toBe(labelled);
    expect(results[1]?.stdout).toMatch(/^Accuracy: [\d.]+% on 6 images/m);
    const sweep = JSON.parse(readFileSync(join(here, 'runs', 'recipe-sweep', 'sweep.json'), 'utf8')) as { runs: unknown[] };
    expect(sweep.runs).toHaveLength(10);
  }, 300_000); // the guide's sweep trains 10 runs, each in a child process

  it('a worker killed with SIGKILL mid-run: the child process training the run stops and frees its folder; another worker trains the run to the numbers of one process', async () => {
    const victim = startWorker(redis.url);
    const args = ['sweep', 'recipe.json', '--seeds', '0', '--set', 'train.epochs=40', '--json'];
    const queued = frugalAsync([...args, '--run-dir', 'sweep-killed', '--queue', redis.url], root);
    const lockFile = () =>
      (readdirSync(join(root, 'sweep-killed'), { recursive: true }) as string[]).find((f) => f.endsWith('.frugal-run.lock'));
    let lock: string | undefined;
    await waitFor("the run's child to lock its folder", () => existsSync(join(root, 'sweep-killed')) && (lock = lockFile()) !== undefined);
    const owner = JSON.parse(readFileSync(join(root, 'sweep-killed', lock!), 'utf8')) as { pid: number };
    expect(owner.pid).not.toBe(victim.child.pid);
    victim.child.kill('SIGKILL');
    // The child sees its parent gone at its next step: it stops with a checkpoint and unlocks the folder.
    await waitFor('the orphaned run to unlock its folder', () => !existsSync(join(root, 'sweep-killed', lock!)));
    startWorker(redis.url);
    const result = await queued.done;
    expect(result.code, result.stderr).toBe(0);
    const single = frugalSync([...args, '--run-dir', 'sweep-unkilled'], root);
    expect(single.code, single.stderr).toBe(0);
    const accuracies = (dir: string) => (JSON.parse(readFileSync(join(root, dir, 'sweep.json'), 'utf8')) as { runs: { accuracy: number }[] }).runs.map((r) => r.accuracy);
    expect(accuracies('sweep-killed')).toEqual(accuracies('sweep-unkilled'));
    expect(accuracies('sweep-killed')[0]).toBeGreaterThan(0);
  });

  it('a worker started with another teacher refuses the jobs (exit 2, one clear line); a right one does them', async () => {
    const wrong = startWorker(redis.url, ['--teacher', otherTeacher]);
    const out = join(root, 'refused.jsonl');
    const label = frugalAsync([...labelArgs(out), '--queue', redis.url], root);
    const refused = await wrong.done;
    expect(refused.code).toBe(2);
    expect(oneCleanLine(refused.stderr)).toBe(true);
    expect(refused.stderr).toMatch(/teacher ".*other" has weights hash [0-9a-f]{12}, but the queued job was made for a teacher with hash [0-9a-f]{12}; refusing it/);
    startWorker(redis.url, ['--teacher', teacher]);
    const result = await label.done;
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(reference);
  });

  it('a worker given a teacher that does not load stops at once (exit 2), before it takes a job', async () => {
    const missing = await frugalAsync(['worker', '--queue', redis.url, '--teacher', join(root, 'nope'), '--backend', 'wasm'], root).done;
    expect(missing.code).toBe(2);
    expect(oneCleanLine(missing.stderr), missing.stderr).toBe(true);
    expect(missing.stderr).toMatch(/Teacher ".*nope" does not exist; give a run directory written by frugal train or a model folder written by frugal convert/);
  });
});
