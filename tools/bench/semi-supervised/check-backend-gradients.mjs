// The gradients of one training step of the bench's ResNet-8 (cross-entropy on 128 Fashion-MNIST
// images, the same initial weights) on each backend, against the cpu backend's: for each backend,
// the largest difference of a weight's gradient relative to that gradient's largest magnitude.
//   node tools/bench/semi-supervised/check-backend-gradients.mjs --backends cpu,wasm,native
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { Rng, imageBatch, normalize, softCrossEntropy } from '@frugal/core';
import { loadFashionMnist } from '@frugal/data';
import { useBackend } from '@frugal/runtime-gpu';
import { resnet8 } from './models.mjs';

const { values: args } = parseArgs({ options: { backends: { type: 'string', default: 'cpu,wasm,native' }, backend: { type: 'string' }, out: { type: 'string' } } });

if (args.backend) {
  await useBackend(args.backend);
  const { train } = await loadFashionMnist({ download: false });
  const { model } = resnet8({ numClasses: 10, inputShape: [28, 28, 1], width: 0.5, dropout: 0, stochasticDepthRate: 0 }, new Rng(7));
  const indices = Int32Array.from({ length: 128 }, (_, i) => i * 7);
  const x = normalize(imageBatch(train, indices), { mean: [0.286], std: [0.353] });
  const y = tf.cast(tf.oneHot(tf.tensor1d(Array.from(indices, (j) => train.labels[j]), 'int32'), 10), 'float32');
  const { value, grads } = tf.variableGrads(() => softCrossEntropy(model.apply(x, { training: true }), y));
  const names = model.trainableWeights.map((w) => w.name);
  const byVar = model.trainableWeights.map((w) => Array.from(grads[w.read().name].dataSync()));
  writeFileSync(args.out, JSON.stringify({ loss: value.dataSync()[0], names, grads: byVar }));
  tf.dispose([x, y, value, ...Object.values(grads)]);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'frugal-grads-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const results = {};
for (const backend of ['cpu', ...args.backends.split(',').filter((b) => b !== 'cpu')]) {
  const out = join(dir, `${backend}.json`);
  execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--backend', backend, '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  results[backend] = JSON.parse(readFileSync(out, 'utf8'));
}
const base = results.cpu;
for (const [backend, r] of Object.entries(results)) {
  if (backend === 'cpu') continue;
  const rel = r.grads.map((g, i) => {
    const ref = base.grads[i];
    const scale = Math.max(...ref.map(Math.abs));
    return Math.max(...g.map((v, k) => Math.abs(v - ref[k]))) / scale;
  });
  const worst = rel.indexOf(Math.max(...rel));
  console.log(
    `${backend}: loss ${r.loss} (cpu ${base.loss}); gradient difference relative to each gradient's largest value: ` +
      `median ${[...rel].sort((a, b) => a - b)[Math.floor(rel.length / 2)].toExponential(1)}, largest ${rel[worst].toExponential(1)} (${r.names[worst]})`,
  );
}
