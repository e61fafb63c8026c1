// One replica of data-parallel training: its own TensorFlow.js and wasm instance on its own thread.
// Gradients go through a SharedArrayBuffer: every replica writes its own into its slot, then each
// averages all slots and applies the same update, so the replicas stay identical.
import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@frugal/runtime-gpu';
import { availableParallelism } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { MODELS } from './models.mjs';

const { modelName, backend, rank, workers, gradients, learningRate, momentum } = workerData;
// The native backend's replicas share the cores out; wasm runs one thread per instance anyway.
await useBackend(backend, backend === 'native' ? { threads: Math.max(1, Math.floor(availableParallelism() / workers)) } : {});
const spec = MODELS[modelName];
const model = spec.build({ inputShape: spec.inputShape });
const variables = model.trainableWeights.map((w) => w.read());
const sizes = variables.map((v) => v.size);
const total = sizes.reduce((a, b) => a + b, 0);
// Two sets of slots (by step parity), so a fast replica never overwrites what a slow one still reads.
const slots = [0, 1].map((parity) =>
  Array.from({ length: workers }, (_, r) => new Float32Array(gradients, ((parity * workers + r) * total) * 4, total)),
);
const optimizer = tf.train.momentum(learningRate, momentum);
let step = 0;

parentPort.on('message', (message) => {
  if (message.type === 'step') {
    const { x, y, batch } = message;
    const loss = tf.tidy(() => {
      const xs = tf.tensor4d(x, [batch, ...spec.inputShape]);
      const ys = tf.tensor2d(y, [batch, y.length / batch]);
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(ys, model.apply(xs, { training: true })), variables);
      const mine = slots[step % 2][rank];
      let offset = 0;
      for (const v of variables) {
        mine.set(grads[v.name].dataSync(), offset);
        offset += v.size;
      }
      return value.dataSync()[0];
    });
    parentPort.postMessage({ type: 'gradients', loss });
  } else if (message.type === 'apply') {
    const parity = slots[step % 2];
    tf.tidy(() => {
      const averaged = {};
      let offset = 0;
      variables.forEach((v, i) => {
        const mean = new Float32Array(sizes[i]);
        for (const slot of parity) {
          const part = slot.subarray(offset, offset + sizes[i]);
          for (let k = 0; k < part.length; k++) mean[k] += part[k];
        }
        for (let k = 0; k < mean.length; k++) mean[k] /= workers;
        averaged[v.name] = tf.tensor(mean, v.shape);
        offset += sizes[i];
      });
      optimizer.applyGradients(averaged);
    });
    step++;
  } else if (message.type === 'predict') {
    const logits = tf.tidy(() => model.predict(tf.tensor4d(message.x, [message.batch, ...spec.inputShape])).dataSync());
    parentPort.postMessage({ type: 'logits', logits }, [logits.buffer]);
  } else if (message.type === 'weights') {
    parentPort.postMessage({ type: 'weights', weights: variables.map((v) => v.dataSync()) });
  }
});
parentPort.postMessage({ type: 'ready', parameters: total });
