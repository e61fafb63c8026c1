// One backend, one model: training and inference images/s, and the peak resident memory after
// training, printed as one JSON line.
//   node tools/bench/backends/bench-tfjs.mjs --backend wasm --model resnet20 [--seconds 8] [--no-train] [--workers 2] [--threads 1]
//                                         [--precision bfloat16] (the native backend's convolutions in bfloat16)
import * as tf from '@tensorflow/tfjs-core';
import { InferenceModel } from '@frugal/core';
import { useBackend } from '@frugal/runtime-gpu';
import { parseArgs } from 'node:util';
import { DataParallel } from './data-parallel.mjs';
import { MODELS } from './models.mjs';
import { makeTrainer, syntheticBatch } from './train-step.mjs';

const { values: opts } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm' },
    model: { type: 'string', default: 'resnet20' },
    seconds: { type: 'string', default: '8' },
    'no-train': { type: 'boolean', default: false },
    warmup: { type: 'string', default: '2' },
    'min-steps': { type: 'string', default: '3' },
    workers: { type: 'string', default: '1' },
    threads: { type: 'string' },
    precision: { type: 'string' },
  },
});
const seconds = Number(opts.seconds);
const report = await useBackend(opts.backend, {
  ...(opts.threads ? { threads: Number(opts.threads) } : {}),
  ...(opts.precision ? { precision: opts.precision } : {}),
});
const spec = MODELS[opts.model];
if (!spec) throw new Error(`Unknown model "${opts.model}"; known: ${Object.keys(MODELS).join(', ')}`);
const model = spec.build({ inputShape: spec.inputShape });
const { x, y } = syntheticBatch(spec.inputShape, spec.batchSize, 10);

const warmup = Number(opts.warmup);
const minSteps = Number(opts['min-steps']);

async function timed(step, budget = seconds) {
  for (let i = 0; i < warmup; i++) await step();
  let steps = 0;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  while (steps < minSteps || performance.now() - start < budget * 1000) {
    await step();
    steps++;
  }
  const wallMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return [(steps * spec.batchSize * 1000) / wallMs, (steps * spec.batchSize * 1000) / cpuMs];
}

/** The process's peak resident memory so far, in MB (its worker threads' included). */
const peakMB = () => process.resourceUsage().maxRSS / 1024;

const workers = Number(opts.workers);
const result = { model: opts.model, backend: opts.backend, tfjsBackend: report.tfjsBackend, threads: report.threads, workers };
if (workers > 1) {
  // Data-parallel: the replicas run on worker threads; this thread only hands out the batches.
  const parameters = model.trainableWeights.reduce((s, w) => s + w.read().size, 0);
  const parallel = await DataParallel.start({ modelName: opts.model, backend: opts.backend, workers, parameters });
  const [xs, ys] = [x.dataSync(), y.dataSync()];
  if (!opts['no-train']) {
    [result.train_images_per_s, result.train_images_per_cpu_s] = await timed(() => parallel.step(xs, ys, spec.batchSize));
    result.train_peak_mb = peakMB();
  }
  [result.infer_images_per_s, result.infer_images_per_cpu_s] = await timed(() => parallel.predict(xs, spec.batchSize), seconds / 2);
  await parallel.close();
} else {
  if (!opts['no-train']) {
    const trainer = makeTrainer(model);
    [result.train_images_per_s, result.train_images_per_cpu_s] = await timed(() => trainer.step(x, y));
    result.train_peak_mb = peakMB();
    trainer.dispose();
  }
  // As `frugal eval`, `predict` and `label` run a model: batch norm folded into the convolutions.
  const inference = new InferenceModel(model);
  [result.infer_images_per_s, result.infer_images_per_cpu_s] = await timed(() => {
    const logits = inference.predict(x);
    logits.dataSync();
    logits.dispose();
  }, seconds / 2);
  inference.dispose();
}
tf.dispose([x, y]);
console.log(JSON.stringify(result));
