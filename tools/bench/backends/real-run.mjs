// A real training run, not a bare step: the demo's network (ResNet-8, 16/32/64 channels, 28×28×1)
// trained by a recipe with its augmentation (flips, shifts, RandAugment), batches, SGD, schedule and
// the final evaluation on 10,000 test images — Frugal (`runRecipe`, as `frugal train` runs it)
// against PyTorch training the same recipe on the same labelled split (torch_reference.py), with
// the same thread count, one after the other: wall and CPU time, accuracy, and each process's peak
// resident memory (the dataset, the runtime, the model and its activations).
//   node tools/bench/backends/real-run.mjs [--steps 300] [--batch 64] [--threads 1,2] [--backend native]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '300' },
    batch: { type: 'string', default: '64' },
    threads: { type: 'string', default: '1,2' },
    backend: { type: 'string', default: 'native' },
    python: { type: 'string', default: '/usr/bin/python3' },
  },
});
const here = new URL('.', import.meta.url).pathname;
const ssl = join(here, '..', 'semi-supervised');
const dir = mkdtempSync(join(os.tmpdir(), 'frugal-real-run-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const batch = Number(args.batch);
// 100 labelled images: ceil(100 / batch) steps an epoch.
const epochs = Math.ceil(Number(args.steps) / Math.ceil(100 / batch));

const run = (cmd, argv, env = {}) => execFileSync(cmd, argv, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
run('node', [join(ssl, 'export-split.mjs'), '--seeds', '0', '--methods', 'supervised-augmented', '--scale', '1', '--out-dir', dir]);
const exported = JSON.parse(readFileSync(join(dir, 'recipe-supervised-augmented-scale1.json'), 'utf8'));
exported.recipe.model = { name: 'resnet8', params: {} };
exported.recipe.train.batchSize = batch;
exported.recipe.train.epochs = epochs;
writeFileSync(join(dir, 'recipe.json'), JSON.stringify(exported));

const last = (file) => JSON.parse(readFileSync(file, 'utf8').trim().split('\n').at(-1));
console.log(`machine: ${os.cpus()[0]?.model.trim()} × ${os.cpus().length}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log(`ResNet-8 (16/32/64) on Fashion-MNIST 28×28×1, batch ${batch}, ${epochs * Math.ceil(100 / batch)} steps with augmentation, then 10,000 test images\n`);
console.log('threads  runtime                      wall s   CPU s   img/s (wall)   Frugal vs PyTorch (wall, CPU)   accuracy   peak MB   peak vs PyTorch');
for (const threads of args.threads.split(',').map(Number)) {
  const frugalOut = join(dir, `frugal-${threads}.jsonl`);
  run('node', [join(ssl, 'bench.mjs'), '--backend', args.backend, '--methods', 'supervised-augmented', '--seeds', '0',
    '--set', 'model.name="resnet8"', '--set', `train.batchSize=${batch}`, '--set', `train.epochs=${epochs}`, '--out', frugalOut], { FRUGAL_NUM_THREADS: String(threads) });
  const torchOut = join(dir, `torch-${threads}.jsonl`);
  run(args.python, [join(ssl, 'torch_reference.py'), '--recipe', join(dir, 'recipe.json'), '--split', join(dir, 'split-fashion-mnist-10pc-seed0.json'),
    '--seed', '0', '--threads', String(threads), '--out', torchOut]);
  const [f, t] = [last(frugalOut), last(torchOut)];
  const images = f.steps * batch;
  for (const [name, r] of [[t.backend.split(",")[0], t], [`frugal ${args.backend}`, f]]) {
    const ratio = r === f ? `${(t.seconds / f.seconds).toFixed(2)}×, ${(t.cpuSeconds / f.cpuSeconds).toFixed(2)}×` : '';
    const peakRatio = r === f ? `${(f.peakMB / t.peakMB).toFixed(2)}×` : '1.00×';
    console.log(
      `${String(threads).padEnd(8)} ${name.padEnd(28)} ${r.seconds.toFixed(1).padStart(6)} ${r.cpuSeconds.toFixed(1).padStart(7)} ${(images / r.seconds).toFixed(0).padStart(14)}   ${ratio.padEnd(31)} ` +
        `${`${(100 * r.accuracy).toFixed(1)}%`.padStart(8)}   ${r.peakMB.toFixed(0).padStart(7)}   ${peakRatio.padStart(15)}`,
    );
  }
}
