import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { useNative } from '../test-support/compare.js';
import type { WasmBackend } from './wasm-heap.js';

// A tensor made on another backend moves into the wasm heap when a kernel first looks it up, and
// that allocation may grow the heap and replace its buffer. Each kernel below gets inputs larger
// than the heap's free room from the cpu backend: the native kernels move them before they read
// the heap (a buffer read before the move would be detached, and the addon refuses it).
const heapBytes = () => (tf.findBackend('wasm') as WasmBackend).wasm.HEAPU8.byteLength;

describe('inputs from another backend larger than the wasm heap', () => {
  it('a convolution and an element-wise sum move them in and give the cpu backend’s values', async () => {
    await useNative();
    const channels = 1024;
    // A filter of the heap's size and more: its move must grow the heap.
    const outChannels = Math.ceil((heapBytes() + 16 * 2 ** 20) / 4 / channels);
    await tf.setBackend('cpu');
    const x = tf.randomNormal([1, 1, 1, channels], 0, 1, 'float32', 1);
    const filter = tf.randomNormal([1, 1, channels, outChannels], 0, 1, 'float32', 2);
    const expected = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'valid');
    const expectedSum = tf.add(filter, filter);
    const [want, wantSum] = [expected.dataSync().slice(), expectedSum.dataSync().slice()];
    tf.dispose([expected, expectedSum]);

    await tf.setBackend('wasm');
    const before = heapBytes();
    const y = tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'valid');
    expect(heapBytes()).toBeGreaterThan(before);
    const got = y.dataSync();
    let worst = 0;
    want.forEach((v, i) => (worst = Math.max(worst, Math.abs(got[i]! - v) / (1 + Math.abs(v)))));
    expect(worst).toBeLessThan(1e-4);

    await tf.setBackend('cpu');
    const other = tf.randomNormal([1, 1, channels, outChannels], 0, 1, 'float32', 2);
    await tf.setBackend('wasm');
    const sum = tf.add(filter, other);
    expect(Array.from(sum.dataSync().slice(0, 1000))).toEqual(Array.from(wantSum.slice(0, 1000)));
    tf.dispose([x, filter, y, other, sum]);
  });
});
