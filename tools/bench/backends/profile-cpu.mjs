// CPU time per wasm kernel over training steps (self time: a kernel that calls other kernels is
// charged only its own part; nested calls show as `Parent > Kernel`), for a machine shared with other work, where tf.profile's wall-clock
// times are noisy.
//   node tools/bench/backends/profile-cpu.mjs [resnet8|resnet20|resnet18] [steps] [native|wasm] [train|infer]
import * as tf from '@tensorflow/tfjs-core';
import { InferenceModel } from '@frugal/core';
import { useBackend } from '@frugal/runtime-gpu';
import { MODELS } from './models.mjs';
import { makeTrainer, syntheticBatch } from './train-step.mjs';

const [name = 'resnet20', stepsArg = '3', backend = 'wasm', mode = 'train'] = process.argv.slice(2);
await useBackend(backend);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const self = new Map();
const stack = [];
for (const config of tf.getKernelsForBackend('wasm')) {
  const inner = config.kernelFunc;
  tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel({
    ...config,
    kernelFunc: (args) => {
      const parent = stack.length ? `${stack[stack.length - 1].name} > ` : '';
      const frame = { name: config.kernelName, start: cpuMs(), children: 0 };
      stack.push(frame);
      try {
        return inner(args);
      } finally {
        stack.pop();
        const total = cpuMs() - frame.start;
        const key = parent + config.kernelName;
        const e = self.get(key) ?? { ms: 0, calls: 0 };
        e.ms += total - frame.children;
        e.calls++;
        self.set(key, e);
        if (stack.length) stack[stack.length - 1].children += total;
      }
    },
  });
}
const spec = MODELS[name];
const model = spec.build({ inputShape: spec.inputShape });
const { x, y } = syntheticBatch(spec.inputShape, spec.batchSize, 10);
const inference = mode === 'infer' ? new InferenceModel(model) : undefined;
const trainer = inference ? { step: () => tf.dispose(inference.predict(x)) } : makeTrainer(model);
for (let i = 0; i < 2; i++) trainer.step(x, y);
self.clear();
const steps = Number(stepsArg);
const t0 = cpuMs();
for (let i = 0; i < steps; i++) trainer.step(x, y);
const stepCpu = (cpuMs() - t0) / steps;
const inKernels = [...self.values()].reduce((s, e) => s + e.ms, 0) / steps;
console.log(`${name} ${mode}: ${stepCpu.toFixed(0)} CPU-ms/step (${((spec.batchSize * 1000) / stepCpu).toFixed(1)} images per CPU-s); in kernels ${inKernels.toFixed(0)} ms, outside ${(stepCpu - inKernels).toFixed(0)} ms`);
console.log(`kernel calls a step: ${[...self.values()].reduce((n, e) => n + e.calls, 0) / steps}`);
for (const [k, e] of [...self].sort((a, b) => b[1].ms - a[1].ms).slice(0, 22)) {
  console.log(`${k.padEnd(44)} ${(e.ms / steps).toFixed(1).padStart(8)} ms ${((100 * e.ms) / steps / stepCpu).toFixed(1).padStart(5)}%  ${e.calls / steps} calls`);
}
