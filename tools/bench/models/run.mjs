// Inference (or, with --train, training) speed of resnet18, resnet50 and googlenet at 224×224 on
// TensorFlow.js (wasm by default) and, in the same run, of the same torchvision networks in PyTorch
// on the CPU; prints images/s and the ratio tfjs / PyTorch. Each measurement runs in its own
// process, one at a time.
//   node tools/bench/models/run.mjs [--models resnet18,resnet50,googlenet] [--backend auto]
//                                   [--threads 2] [--batch 8] [--seconds 10] [--size 224] [--train]
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    models: { type: 'string', default: 'resnet18,resnet50,googlenet' },
    backend: { type: 'string', default: 'auto' },
    threads: { type: 'string', default: '2' },
    batch: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    size: { type: 'string', default: '224' },
    python: { type: 'string', default: '/usr/bin/python3' },
    train: { type: 'boolean', default: false },
  },
});

function runJson(command, args) {
  const out = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = out.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
  if (out.status !== 0 || !line) {
    throw new Error(`${command} ${args.join(' ')} exited ${out.status}: ${(out.stderr || out.stdout).trim().split('\n').slice(-3).join(' | ')}`);
  }
  return JSON.parse(line);
}

const common = ['--size', opts.size, '--batch', opts.batch, '--seconds', opts.seconds, ...(opts.train ? ['--train'] : [])];
console.log(`${os.cpus()[0]?.model ?? 'cpu'} × ${os.availableParallelism()}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`${opts.train ? 'training (SGD, momentum 0.9)' : 'inference'}, ${opts.size}×${opts.size}, batch ${opts.batch}, ${opts.seconds} s per measurement\n`);
const rows = [];
for (const model of opts.models.split(',')) {
  const tfjs = runJson(process.execPath, [join(here, 'bench-tfjs.mjs'), '--model', model, '--backend', opts.backend, ...common]);
  const torch = runJson(opts.python, [join(here, 'torch_bench.py'), '--model', model, '--threads', opts.threads, ...common]);
  rows.push({
    model,
    [`${tfjs.runtime} img/s`]: tfjs.imagesPerSecond.toFixed(2),
    [`${torch.runtime} img/s`]: torch.imagesPerSecond.toFixed(2),
    'ratio (wall)': (tfjs.imagesPerSecond / torch.imagesPerSecond).toFixed(3),
    'ratio (per CPU-second)': (tfjs.imagesPerCpuSecond / torch.imagesPerCpuSecond).toFixed(3),
  });
}
console.table(rows);
