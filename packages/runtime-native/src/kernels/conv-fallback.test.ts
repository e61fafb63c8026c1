import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { addon } from '../addon.js';
import { cpuAndNative, relativeError, useNative } from '../test-support/compare.js';
import { caseName, MANY_CHANNELS_ON_TINY_IMAGES, seededInput } from '../test-support/conv-case.js';
import { convParams, CONV_BACKWARD_WEIGHTS, CONV_FORWARD } from './conv-params.js';

// Which filter gradients oneDNN has a JIT kernel for depends on the CPU: an AVX-512 machine has one
// for these shapes, others may not. Capped at SSE4.1 before oneDNN first reads its ISA, this file's
// process has none on any x86 machine, so the patches-and-product plan is what runs.
vi.hoisted(() => {
  process.env['ONEDNN_MAX_CPU_ISA'] = 'SSE41';
});

describe('a filter gradient oneDNN has no JIT kernel for: patches and one matrix product', () => {
  beforeAll(() => useNative());

  it('runs with oneDNN capped at SSE4.1 (its own JIT kernels for the forward pass)', () => {
    const info = tf.backend_util.computeConv2DInfo([64, 28, 28, 16], [3, 3, 16, 16], 1, 1, 'same');
    expect(addon().convImplementation(convParams(info, { kind: CONV_FORWARD }))).toMatch(/sse41/);
  });

  it.each(MANY_CHANNELS_ON_TINY_IMAGES.map((c) => [caseName(c), c] as const))('%s: planned as patches + matmul, with the cpu backend’s numbers', async (_n, c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
    expect(addon().convImplementation(convParams(info, { kind: CONV_BACKWARD_WEIGHTS }))).toMatch(/^patches \+ matmul/);
    const inputs = { x: seededInput(c.x, 1), dy: seededInput(info.outShape, 4) };
    const [[expected], [actual]] = await cpuAndNative('Conv2DBackpropFilter', inputs, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter });
    expect(actual!.shape).toEqual(c.filter);
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });
});
