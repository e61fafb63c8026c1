// Trains and infers ResNet-8 (28×28×1, batch 64), ResNet-20 (32×32×3, batch 32) and ResNet-18 (64×64×3, batch 16) on every
// backend present and, in the same run, in PyTorch on the CPU; prints images/s and the ratio to
// PyTorch (the first --torch-threads entry, 2 threads by default; the ratio column compares to it),
// and each process's peak resident memory after training, against PyTorch's.
//   node tools/bench/backends/run.mjs [--models resnet8,resnet20,resnet18] [--seconds 8] [--torch-threads 2,1]
//                                     [--backends wasm,cpu] [--cpu-train] [--workers 2] [--bfloat16]
// --bfloat16 adds PyTorch under torch.autocast("cpu", dtype=torch.bfloat16) and the native backend in
// bfloat16 precision, each on the first --torch-threads count and every core respectively.
import { doctor } from '@frugal/runtime-gpu';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    models: { type: 'string', default: 'resnet8,resnet20,resnet18' },
    seconds: { type: 'string', default: '8' },
    'torch-threads': { type: 'string', default: '2,1' },
    python: { type: 'string', default: '/usr/bin/python3' },
    backends: { type: 'string' },
    'cpu-train': { type: 'boolean', default: false },
    workers: { type: 'string', default: String(Math.min(os.availableParallelism(), 4)) },
    rounds: { type: 'string', default: '1' },
    bfloat16: { type: 'boolean', default: false },
  },
});

function runJson(command, args) {
  const out = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = out.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (out.status !== 0 || !line) {
    return { error: `${command} ${args.join(' ')} exited ${out.status}: ${(out.stderr || out.stdout).trim().split('\n').slice(-3).join(' | ')}` };
  }
  return JSON.parse(line);
}

const report = await doctor();
const present = report.candidates.filter((c) => c.available).map((c) => c.name);
const backends = opts.backends ? opts.backends.split(',') : present;
console.log(`machine: ${report.cpu.model} × ${report.cpu.cores}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
for (const c of report.candidates.filter((c) => !c.available)) console.log(`backend ${c.name} not benchmarked: ${c.reason}`);

// Every measurement is a job; with --rounds N the jobs run N times, one round after another (so
// that a slow spell of the machine touches every row alike), and each row keeps its best numbers
// (the highest speeds, the lowest peak).
const jobs = [];
for (const model of opts.models.split(',')) {
  const torchThreads = opts['torch-threads'].split(',');
  const torchRuns = [...torchThreads.map((threads) => ({ threads })), ...(opts.bfloat16 ? [{ threads: torchThreads[0], bfloat16: true }] : [])];
  for (const { threads, bfloat16 } of torchRuns) {
    jobs.push(() => {
      const torch = runJson(opts.python, [join(here, 'torch_bench.py'), '--model', model, '--threads', threads, '--seconds', opts.seconds, ...(bfloat16 ? ['--bfloat16'] : [])]);
      if (torch.error) console.log(`PyTorch ${model}: ${torch.error}`);
      return {
        model,
        backend: `pytorch${bfloat16 ? ' bf16' : ''} (${threads} thread${threads === '1' ? '' : 's'})`,
        train: torch.train_images_per_s,
        infer: torch.infer_images_per_s,
        trainCpu: torch.train_images_per_cpu_s,
        inferCpu: torch.infer_images_per_cpu_s,
        peak: torch.train_peak_mb,
      };
    });
  }
  // wasm runs one thread per instance in Node; the data-parallel run puts every core to work. The
  // native backend runs on every core, on one for the per-core comparison, and data-parallel with
  // the cores shared out among the replicas.
  const parallel = Number(opts.workers) > 1;
  const runs = backends.flatMap((backend) =>
    backend === 'wasm' && parallel
      ? [{ backend, workers: 1 }, { backend, workers: Number(opts.workers) }]
      : backend === 'native'
        ? [
            { backend, workers: 1 },
            { backend, workers: 1, threads: 1 },
            ...(parallel ? [{ backend, workers: Number(opts.workers) }] : []),
            ...(opts.bfloat16 ? [{ backend, workers: 1, bfloat16: true }] : []),
          ]
        : [{ backend, workers: 1 }],
  );
  for (const { backend, workers, threads, bfloat16 } of runs) {
    jobs.push(() => {
      const slow = backend === 'cpu';
      const args = [join(here, 'bench-tfjs.mjs'), '--backend', backend, '--model', model, '--seconds', slow ? '1' : opts.seconds, '--workers', String(workers)];
      if (threads) args.push('--threads', String(threads));
      if (bfloat16) args.push('--precision', 'bfloat16');
      if (slow) args.push('--warmup', '1', '--min-steps', '1');
      if (slow && !opts['cpu-train']) args.push('--no-train');
      const r = runJson(process.execPath, args);
      if (r.error) console.log(`${backend} ${model}: ${r.error}`);
      const label =
        workers > 1 ? `${backend} (${workers} workers)` : `${backend}${bfloat16 ? ' bf16' : ''}${(r.threads ?? threads) ? ` (${r.threads ?? threads} thread${(r.threads ?? threads) > 1 ? 's' : ''})` : ''}`;
      return {
        model,
        backend: label,
        train: r.train_images_per_s,
        infer: r.infer_images_per_s,
        trainCpu: r.train_images_per_cpu_s,
        inferCpu: r.infer_images_per_cpu_s,
        peak: r.train_peak_mb,
        trainSkipped: slow && !opts['cpu-train'],
      };
    });
  }
}

/** `pick` of two measurements, either of which may be missing. */
const either = (pick) => (a, b) => (a === undefined ? b : b === undefined ? a : pick(a, b));
const [best, least] = [either(Math.max), either(Math.min)];
const rows = [];
for (let round = 0; round < Number(opts.rounds); round++) {
  jobs.forEach((job, i) => {
    const r = job();
    const kept = rows[i];
    rows[i] = kept
      ? { ...kept, train: best(kept.train, r.train), infer: best(kept.infer, r.infer), trainCpu: best(kept.trainCpu, r.trainCpu), inferCpu: best(kept.inferCpu, r.inferCpu), peak: least(kept.peak, r.peak) }
      : r;
  });
}

const fmt = (v) => (v === undefined ? '—' : v.toFixed(1));
const ratio = (v, ref) => (v === undefined || !ref ? '—' : `${(v / ref).toFixed(3)}×`);
const col = (v, w) => String(v).padStart(w);
console.log(`\n${'model'.padEnd(10)} ${'backend'.padEnd(23)} ${col('train img/s', 12)} ${col('vs PyTorch', 11)} ${col('infer img/s', 12)} ${col('vs PyTorch', 11)}   ${col('train img/CPU-s', 16)} ${col('infer img/CPU-s', 16)}   ${col('train peak MB', 14)} ${col('vs PyTorch', 11)}`);
for (const r of rows) {
  const ref = rows.find((x) => x.model === r.model && x.backend.startsWith('pytorch'));
  const skipped = r.trainSkipped;
  console.log(
    `${r.model.padEnd(10)} ${r.backend.padEnd(23)} ${col(skipped ? 'skipped¹' : fmt(r.train), 12)} ${col(skipped ? '' : ratio(r.train, ref?.train), 11)} ` +
      `${col(fmt(r.infer), 12)} ${col(ratio(r.infer, ref?.infer), 11)}   ${col(skipped ? '' : fmt(r.trainCpu), 16)} ${col(fmt(r.inferCpu), 16)}   ` +
      `${col(skipped ? '' : r.peak === undefined ? '—' : r.peak.toFixed(0), 14)} ${col(skipped ? '' : ratio(r.peak, ref?.peak), 11)}`,
  );
}
console.log('img/CPU-s: images per second of CPU time used by all the process\'s threads (less sensitive to other load on the machine).');
console.log('train peak MB: the process\'s peak resident memory after training (the runtime, the model and its activations; lower is better).');
if (Number(opts.rounds) > 1) console.log(`each row: the best of ${opts.rounds} rounds`);
if (rows.some((r) => r.trainSkipped)) console.log('¹ cpu training takes minutes per step; pass --cpu-train to measure it.');
