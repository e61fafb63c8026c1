// A worker thread's own TensorFlow.js on the native kernels (the built package, one thread):
// training steps of a small convolutional network from fixed weights and data; it posts the
// loss of every step. Used by worker-threads.test.ts.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
// The core ops' gradients come with the layers package's bundle.
import '@tensorflow/tfjs-layers';
import { parentPort, workerData } from 'node:worker_threads';
import { registerNativeKernels, setNativeThreads } from '../../dist/index.js';

setNativeThreads(1);
registerNativeKernels();
await tf.setBackend('wasm');

const { steps, batch, size } = workerData;
const seeded = (shape, seed) => tf.randomUniform(shape, -0.5, 0.5, 'float32', seed);
const x = seeded([batch, size, size, 3], 1);
const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % 10), 'int32'), 10).cast('float32');
const w1 = tf.variable(seeded([3, 3, 3, 16], 2));
const w2 = tf.variable(seeded([3, 3, 16, 32], 3));
const dense = tf.variable(seeded([32, 10], 4));
const optimizer = tf.train.sgd(0.05);
const losses = [];
for (let i = 0; i < steps; i++) {
  const loss = optimizer.minimize(() => {
    const h1 = tf.relu(tf.conv2d(x, w1, 1, 'same'));
    const h2 = tf.relu(tf.conv2d(h1, w2, 2, 'same'));
    return tf.losses.softmaxCrossEntropy(labels, tf.matMul(tf.mean(h2, [1, 2]), dense));
  }, true);
  losses.push(loss.dataSync()[0]);
  loss.dispose();
}
tf.dispose([x, labels, w1, w2, dense]);
optimizer.dispose();
parentPort.postMessage(losses);
