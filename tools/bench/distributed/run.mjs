// Labelling throughput of `frugal label` in one process, and through the queue with 1 and 2
// `frugal worker`s, as ratios; the in-memory path (the whole folder decoded into one buffer) for
// the streaming path's speed and peak memory; queue overhead per shard; Redis jobs/s and memory
// per queued job.
//   npx nx build @frugal/cli && nice node tools/bench/distributed/run.mjs
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { writeSyntheticImages } from './synthetic-images.mjs';

const { values: args } = parseArgs({
  options: {
    images: { type: 'string', default: '4000' },
    size: { type: 'string', default: '64' },
    batch: { type: 'string', default: '64' },
    shard: { type: 'string', default: '512' },
    backend: { type: 'string', default: 'wasm' },
    dir: { type: 'string' },
    only: { type: 'string', default: 'all' },
    width: { type: 'string', default: '1' },
    pin: { type: 'string', default: 'yes' },
    workers: { type: 'string', default: '1,2' },
  },
});
const count = Number(args.images);
const size = Number(args.size);
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = path.join(repo, 'packages', 'cli', 'dist', 'bin.js');
if (!existsSync(bin)) throw new Error(`${bin} is missing: npx nx build @frugal/cli first`);
const work = args.dir ? path.resolve(args.dir) : await mkdtemp(path.join(os.tmpdir(), 'frugal-bench-distributed-'));
const images = path.join(work, `unlabelled-${count}-${size}`);
const teacher = path.join(work, `teacher-${args.width}`);
const env = { ...process.env, FRUGAL_NUM_THREADS: '1', FORCE_COLOR: '0' };
// Each process on one core of its own (taskset): the single process, and each worker, decode in a
// thread of their own that shares the process's core, so "one process" and "one worker" are the
// same arrangement, and two workers have at most twice its CPU.
const cores = os.availableParallelism();
if (!['yes', 'no'].includes(args.pin)) throw new Error(`--pin is "${args.pin}"; give yes or no`);
const pin = args.pin === 'yes' && cores >= 2 && spawnSync('sh', ['-c', 'command -v taskset']).status === 0;
const onCore = (core, command, commandArgs) => (pin ? ['taskset', ['-c', String(core % cores), command, ...commandArgs]] : [command, commandArgs]);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

async function writeImages() {
  await writeSyntheticImages(images, count, size);
}

/** A ResNet-8 (× --width channels) for 64×64 RGB, 10 classes, seeded initial weights: what labels is timed, not what it knows. */
async function writeTeacher() {
  if (existsSync(path.join(teacher, 'model', 'frugal.json'))) return;
  const script = `
    import { createFrugal, fileHandler, selectBackend } from '@frugal/core';
    import { standardPlugins } from '@frugal/preset-standard';
    import { writeFileSync } from 'node:fs';
    const frugal = createFrugal({ plugins: [standardPlugins()], seed: 0 });
    await selectBackend(frugal, 'cpu');
    const { model } = frugal.models.create('resnet8', { numClasses: 10, inputShape: [${size}, ${size}, 3], widthMultiplier: ${Number(args.width)} });
    await model.save(fileHandler(${JSON.stringify(path.join(teacher, 'model'))}));
    writeFileSync(${JSON.stringify(path.join(teacher, 'model', 'frugal.json'))}, JSON.stringify({
      format: 'frugal-model/1', model: 'resnet8', classNames: Array.from({ length: 10 }, (_, i) => 'class-' + i),
      inputShape: [${size}, ${size}, 3], normalization: { mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] } }));
    writeFileSync(${JSON.stringify(path.join(teacher, 'recipe.json'))}, JSON.stringify({ data: { params: { resize: 'exact' } } }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
}

/** Runs a command under /usr/bin/time: its stdout, and its peak resident memory in MB. */
function timed(command, commandArgs) {
  const [c, a] = onCore(0, command, commandArgs);
  const r = spawnSync('/usr/bin/time', ['-f', 'peak-rss-kb %M cpu-s %U %S', c, ...a], { cwd: repo, encoding: 'utf8', env, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`${command} ${commandArgs.join(' ')} failed:\n${r.stderr}`);
  const kb = Number(/peak-rss-kb (\d+)/.exec(r.stderr)?.[1]);
  const [, user, system] = /cpu-s ([\d.]+) ([\d.]+)/.exec(r.stderr) ?? [];
  return { stdout: r.stdout, peakMB: kb / 1024, cpuSeconds: Number(user) + Number(system) };
}

/** CPU seconds a running process (all its threads) has used so far, from /proc. */
function cpuSecondsOf(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

const labelArgs = (out) => ['label', '--teacher', teacher, '--unlabelled', images, '--out', out, '--batch-size', args.batch, '--shard-size', args.shard, '--backend', args.backend, '--json'];

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function startRedis() {
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  return { url: `redis://127.0.0.1:${port}`, port, stop: () => redis.kill('SIGKILL') };
}

function startWorker(url, core) {
  const [c, a] = onCore(core, process.execPath, [bin, 'worker', '--queue', url, '--backend', args.backend]);
  const child = spawn(c, a, { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const ready = new Promise((resolve) => {
    const check = setInterval(() => {
      if (/^Worker \d+ on /m.test(stderr)) {
        clearInterval(check);
        resolve();
      }
    }, 50);
  });
  return { child, ready };
}

/** The in-memory path: the whole folder decoded into one buffer, then the same forward passes. */
const inMemoryScript = `
  import { createFrugal, predictLogits, readModelCard, selectBackend, fileHandler } from '@frugal/core';
  import { loadUnlabelledFolder } from '@frugal/data';
  import { standardPlugins } from '@frugal/preset-standard';
  import { loadLayersModel } from '@tensorflow/tfjs-layers';
  const frugal = createFrugal({ plugins: [standardPlugins()] });
  await selectBackend(frugal, ${JSON.stringify(args.backend)});
  const card = await readModelCard(${JSON.stringify(path.join(teacher, 'model'))});
  const model = await loadLayersModel(fileHandler(${JSON.stringify(path.join(teacher, 'model'))}));
  const started = performance.now();
  const { images } = await loadUnlabelledFolder(${JSON.stringify(images)}, { size: ${size}, resize: 'exact', concurrency: 4 });
  const logits = predictLogits(model, images, { batchSize: ${Number(args.batch)}, normalization: card.normalization });
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, images: logits.length / 10 }));
`;

await writeImages();
await writeTeacher();
const results = { images: count, size, batchSize: Number(args.batch), shardSize: Number(args.shard), backend: args.backend, width: Number(args.width), cores, pinned: pin, loadAverage: { start: load() } };
const line = (label, value) => console.log(`${label.padEnd(44)} ${value}`);
line('load average (1, 5, 15 min) at the start', load());
line('processes', pin ? 'each on one core (taskset); the single process on core 0, worker i on core i' : 'not pinned');

if (args.only === 'all' || args.only === 'memory') {
  const memory = timed(process.execPath, ['--input-type=module', '-e', inMemoryScript]);
  const m = JSON.parse(memory.stdout.trim().split('\n').pop());
  results.inMemory = { seconds: m.seconds, imagesPerSecond: count / m.seconds, peakMB: memory.peakMB };
  line('in-memory path (decode all, then label)', `${(count / m.seconds).toFixed(0)} images/s, peak ${memory.peakMB.toFixed(0)} MB`);
}

const single = timed(process.execPath, [bin, ...labelArgs(path.join(work, 'single.jsonl'))]);
const s = JSON.parse(single.stdout);
results.inProcess = { seconds: s.seconds, imagesPerSecond: count / s.seconds, peakMB: single.peakMB, cpuSeconds: single.cpuSeconds };
line('frugal label, one process (streamed)', `${(count / s.seconds).toFixed(0)} images/s, peak ${single.peakMB.toFixed(0)} MB`);
line('  CPU per 1,000 images', `${((single.cpuSeconds * 1000) / count).toFixed(1)} s (start included)`);
if (results.inMemory) line('  streamed / in-memory throughput', (results.inProcess.imagesPerSecond / results.inMemory.imagesPerSecond).toFixed(2));

if (args.only === 'all' || args.only === 'queue') {
  const redis = await startRedis();
  try {
    for (const workers of args.workers.split(',').map(Number)) {
      const started = Array.from({ length: workers }, (_, i) => startWorker(redis.url, i));
      await Promise.all(started.map((w) => w.ready));
      const cpuBefore = started.map((w) => cpuSecondsOf(w.child.pid));
      const queued = timed(process.execPath, [bin, ...labelArgs(path.join(work, `queued-${workers}.jsonl`)), '--queue', redis.url]);
      const workerCpu = started.map((w, i) => cpuSecondsOf(w.child.pid) - cpuBefore[i]);
      for (const w of started) w.child.kill('SIGKILL');
      const q = JSON.parse(queued.stdout);
      const same = spawnSync('cmp', [path.join(work, 'single.jsonl'), path.join(work, `queued-${workers}.jsonl`)]).status === 0;
      results[`queue${workers}`] = { seconds: q.seconds, imagesPerSecond: count / q.seconds, ratio: s.seconds / q.seconds, sameBytes: same, shards: q.shards, workerCpuSeconds: workerCpu, coordinatorCpuSeconds: queued.cpuSeconds };
      line(`queue, ${workers} worker${workers > 1 ? 's' : ''}`, `${(count / q.seconds).toFixed(0)} images/s = ${(s.seconds / q.seconds).toFixed(2)}× one process; file ${same ? 'identical' : 'DIFFERS'}`);
      line('  CPU per 1,000 images: workers, coordinator', `${workerCpu.map((c) => ((c * 1000) / count).toFixed(1)).join(' + ')} s, ${((queued.cpuSeconds * 1000) / count).toFixed(1)} s (start included)`);
      await new Promise((r) => setTimeout(r, 1000));
    }
    // Redis as the coordinator: empty jobs through one worker process with 50 in flight, and the memory of queued label jobs.
    const probe = `
      import { Queue, Worker } from 'bullmq';
      const connection = { host: '127.0.0.1', port: ${redis.port}, maxRetriesPerRequest: null };
      const queue = new Queue('probe', { connection });
      const n = 5000;
      const client = await queue.client;
      let done = 0;
      const finished = new Promise((resolve) => {
        const worker = new Worker('probe', async () => null, { connection, concurrency: 50, removeOnComplete: { count: 0 } });
        worker.on('completed', () => { if (++done === n) worker.close().then(resolve); });
      });
      const started = performance.now();
      await queue.addBulk(Array.from({ length: n }, (_, i) => ({ name: 'x', data: { i }, opts: { removeOnComplete: true } })));
      await finished;
      const jobsPerSecond = n / ((performance.now() - started) / 1000);
      await queue.obliterate({ force: true });
      // One job at a time through one worker: the queue's own cost per shard (add, take, lock, complete, read back, remove).
      const m = 300;
      let seen = 0;
      const oneByOne = new Promise((resolve) => {
        const worker = new Worker('probe', async () => null, { connection, concurrency: 1 });
        worker.on('completed', () => { if (++seen === m) worker.close().then(resolve); });
      });
      const t0 = performance.now();
      for (let i = 0; i < m; i++) await queue.add('x', { i }, { removeOnComplete: true });
      await oneByOne;
      const overheadPerShardMs = (performance.now() - t0) / m;
      await queue.obliterate({ force: true });
      const used = async () => Number(/used_memory:(\\d+)/.exec(await client.info('memory'))[1]);
      const before = await used();
      const entries = Array.from({ length: ${Number(args.shard)} }, (_, i) => ({ path: '0001/' + String(i).padStart(7, '0') + '.png', size: 9000 + i, mtimeMs: 1790000000000.123 }));
      const k = 200;
      await queue.addBulk(Array.from({ length: k }, (_, i) => ({ name: 'label', data: { root: '/shared/photos', entries, teacherDir: '/shared/runs/T', teacherHash: 'f'.repeat(64), batchSize: 64 }, opts: { jobId: 'j' + i, attempts: 5 } })));
      const perJob = ((await used()) - before) / k;
      await queue.obliterate({ force: true });
      await queue.close();
      console.log(JSON.stringify({ jobsPerSecond, overheadPerShardMs, bytesPerQueuedLabelJob: perJob }));
    `;
    const p = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: repo, encoding: 'utf8' });
    if (p.status !== 0) throw new Error(p.stderr);
    const probeResult = JSON.parse(p.stdout.trim());
    Object.assign(results, probeResult);
    line('Redis: empty jobs through one worker process', `${probeResult.jobsPerSecond.toFixed(0)} jobs/s (50 in flight)`);
    line('queue overhead per shard (one at a time)', `${probeResult.overheadPerShardMs.toFixed(1)} ms`);
    line(`Redis: memory per queued label job (${args.shard} files)`, `${(probeResult.bytesPerQueuedLabelJob / 1024).toFixed(1)} KiB`);
  } finally {
    redis.stop();
  }
}

results.loadAverage.end = load();
line('load average (1, 5, 15 min) at the end', results.loadAverage.end);

if (args.dir) {
  writeFileSync(path.join(work, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`results: ${path.join(work, 'results.json')}`);
} else {
  await rm(work, { recursive: true, force: true });
}
