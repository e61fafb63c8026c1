// Kernel-by-kernel profile of one training step on a backend (default wasm), from tf.profile.
//   node tools/bench/backends/profile.mjs [resnet20|resnet18] [backend]
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@frugal/runtime-gpu';
import { MODELS } from './models.mjs';
import { makeTrainer, syntheticBatch } from './train-step.mjs';

const [name = 'resnet20', backend = 'wasm'] = process.argv.slice(2);
await useBackend(backend);
const spec = MODELS[name];
const model = spec.build({ inputShape: spec.inputShape });
const trainer = makeTrainer(model);
const { x, y } = syntheticBatch(spec.inputShape, spec.batchSize, 10);
for (let i = 0; i < 3; i++) trainer.step(x, y);
const steps = 3;
let t0 = performance.now();
for (let i = 0; i < steps; i++) trainer.step(x, y);
const stepMs = (performance.now() - t0) / steps;
const info = await tf.profile(() => trainer.step(x, y));
const byKernel = new Map();
for (const k of info.kernels) {
  const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
  e.ms += k.kernelTimeMs;
  e.calls += 1;
  byKernel.set(k.name, e);
}
const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
console.log(`${name} on ${backend}: ${stepMs.toFixed(0)} ms/step (${((spec.batchSize * 1000) / stepMs).toFixed(1)} images/s); kernels sum ${total.toFixed(0)} ms`);
for (const [k, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25)) {
  console.log(`${k.padEnd(28)} ${e.ms.toFixed(1).padStart(8)} ms ${((100 * e.ms) / total).toFixed(1).padStart(5)}%  ${e.calls} calls`);
}
tf.dispose([x, y]);
trainer.dispose();
if (process.env.PROFILE_CALLS) {
  const calls = info.kernels.filter((k) => k.name === process.env.PROFILE_CALLS).sort((a, b) => b.kernelTimeMs - a.kernelTimeMs);
  for (const k of calls) console.log(k.name, k.kernelTimeMs.toFixed(1), JSON.stringify(k.inputShapes), JSON.stringify(k.outputShapes));
}
