import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augmentationPreview } from './augmentation.js';

const dir = mkdtempSync(join(tmpdir(), 'frugal-docs-augment-'));
beforeAll(() => tf.setBackend('cpu'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('augmentation example', () => {
  it('writes the same preview grid for the same seed, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const a = await augmentationPreview(join(dir, 'a.png'), { digits: 3, versions: 4 });
    const b = await augmentationPreview(join(dir, 'b.png'), { digits: 3, versions: 4 });
    expect(tf.memory().numTensors).toBe(before);
    expect(a).toMatchObject({ rows: 3, columns: 5 });
    expect(readFileSync(a.file).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(a.file).equals(readFileSync(b.file))).toBe(true);
  });
});
