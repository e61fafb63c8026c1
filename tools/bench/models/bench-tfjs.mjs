// Inference (or, with --train, training) images/s of one registered model on one TensorFlow.js
// backend; prints one JSON line.
//   node tools/bench/models/bench-tfjs.mjs --model resnet50 [--backend auto] [--size 224] [--batch 8] [--seconds 10] [--train]
import { createFrugal, InferenceModel } from '@frugal/core';
import { inception } from '@frugal/models-inception';
import { mobilenet } from '@frugal/models-mobilenet';
import { resnet } from '@frugal/models-resnet';
import { useBackend } from '@frugal/runtime-gpu';
import * as tf from '@tensorflow/tfjs-core';
import { parseArgs } from 'node:util';
import { makeTrainer, syntheticBatch } from '../backends/train-step.mjs';

const { values: opts } = parseArgs({
  options: {
    model: { type: 'string', default: 'resnet18' },
    backend: { type: 'string', default: 'auto' },
    size: { type: 'string', default: '224' },
    batch: { type: 'string', default: '8' },
    seconds: { type: 'string', default: '10' },
    train: { type: 'boolean', default: false },
  },
});
const size = Number(opts.size);
const batch = Number(opts.batch);

const choice = await useBackend(opts.backend);
const frugal = createFrugal({ plugins: [resnet(), inception(), mobilenet()], seed: 1 });
const built = frugal.models.create(opts.model, { numClasses: 1000, inputShape: [size, size, 3] });

/** One batch: an SGD step (momentum 0.9, batch norm in training mode) or a forward pass. */
function batchRunner() {
  if (opts.train) {
    const { x, y } = syntheticBatch([size, size, 3], batch, 1000);
    const trainer = makeTrainer(built.model);
    return () => trainer.step(x, y);
  }
  const x = tf.randomUniform([batch, size, size, 3], -1, 1, 'float32', 1);
  // As `frugal eval`, `predict` and `label` run a model: batch norm folded into the convolutions.
  const inference = new InferenceModel(built.model);
  return () => {
    const y = inference.predict(x);
    y.dataSync();
    y.dispose();
  };
}
const run = batchRunner();
run(); // warm-up: kernel set-up and weight packing

let images = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
while (performance.now() - t0 < Number(opts.seconds) * 1000 || images < 2 * batch) {
  run();
  images += batch;
}
const wall = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    runtime: `tfjs ${tf.version_core} ${choice.backend}${choice.threads ? ` (${choice.threads} thread${choice.threads > 1 ? "s" : ""})` : ""}`,
    model: opts.model,
    size,
    batch,
    imagesPerSecond: images / wall,
    imagesPerCpuSecond: images / ((cpu.user + cpu.system) / 1e6),
  }),
);
