import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../pipeline/build.js';
import { frugalWithAugment, maxDiff, useCpu } from '../test-utils.js';

/**
 * The same pipeline on the cpu backend (per-image transforms, host row moves) and on wasm
 * (batched transforms) gives the same images: the two code paths agree.
 */
let wasm = false;
beforeAll(async () => {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    wasm = await tf.setBackend('wasm');
  } catch (error) {
    console.warn(`wasm backend unavailable, cross-backend check skipped: ${String(error)}`);
  }
});
afterAll(useCpu);

const SPECS = [
  { op: 'pad-crop', padding: 3 },
  { op: 'flip', p: 0.5 },
  { op: 'rotate', degrees: 25, p: 0.7 },
  { op: 'rand-augment', n: 2, m: 9, mstd: 0.5 },
  { op: 'cutout', size: 0.3, p: 0.5 },
];

function runPipeline(): Float32Array {
  return tf.tidy(() => {
    const x = tf.tensor4d(Float32Array.from({ length: 16 * 12 * 12 * 3 }, (_, i) => ((i * 7919) % 1000) / 999), [16, 12, 12, 3]);
    const out = buildPipeline(frugalWithAugment(), SPECS).apply(x, new Rng('same seed'));
    return Float32Array.from(out.dataSync());
  });
}

describe('backends', () => {
  it('cpu and wasm give the same augmented batch for the same seed', async (ctx) => {
    if (!wasm) ctx.skip();
    const onWasm = runPipeline();
    await useCpu();
    const onCpu = runPipeline();
    expect(maxDiff(onWasm, onCpu)).toBeLessThan(1e-4);
  });
});
