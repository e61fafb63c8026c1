// The README's example, run as written (keep the two in step).
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { loadAddon, nativeInfo, registerNativeKernels, setNativeThreads } from './index.js';

const available = loadAddon().available;

describe.skipIf(!available)(`README example${available ? '' : ' (skipped: the addon is not built here)'}`, () => {
  it('runs', async () => {
    const status = loadAddon();
    if (!status.available) throw new Error(`${status.reason}. ${status.remedy}`);
    setNativeThreads(2);
    registerNativeKernels(); // over the wasm backend's kernels; unregisterNativeKernels() puts them back
    await tf.setBackend('wasm');

    const x = tf.randomNormal([8, 32, 32, 16]) as tf.Tensor4D;
    const filter = tf.randomNormal([3, 3, 16, 32]) as tf.Tensor4D;
    const y = tf.conv2d(x, filter, 1, 'same'); // oneDNN's convolution, on two threads

    expect(y.shape).toEqual([8, 32, 32, 32]);
    expect(nativeInfo()).toMatchObject({ threads: 2, oneDNN: expect.stringMatching(/^\d+\.\d+\.\d+$/) });
    tf.dispose([x, filter, y]);
  });
});
