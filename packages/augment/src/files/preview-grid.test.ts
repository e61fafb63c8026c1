import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../pipeline/build.js';
import { frugalWithAugment, randomImages, useCpu } from '../test-utils.js';
import { previewGrid } from './preview-grid.js';

let root: string;

beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'frugal-preview-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('previewGrid', () => {
  it('writes a PNG of N rows × (original + K versions), cells scaled up', async () => {
    const images = randomImages(3, 8, 10, 3);
    const augmentation = buildPipeline(frugalWithAugment(), ['rand-m9-n2', 'flip']);
    const file = join(root, 'sub', 'grid.png');
    const result = await previewGrid({ images, augmentation, versions: 4, rng: new Rng(1), file, scale: 2, gap: 1 });
    expect(result).toMatchObject({ rows: 3, columns: 5 });
    const meta = await sharp(file).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe((5 * 10 + 6 * 1) * 2);
    expect(meta.height).toBe((3 * 8 + 4 * 1) * 2);
    expect(result.width).toBe(meta.width);
    // The first column is the original image.
    const { data } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    const firstPixel = Array.from(data.subarray(((1 * 2) * meta.width + 1 * 2) * 3, ((1 * 2) * meta.width + 1 * 2) * 3 + 3));
    const expected = Array.from(images.dataSync().subarray(0, 3), (v) => Math.round(v * 255));
    expect(firstPixel).toEqual(expected);
    images.dispose();
  });

  it('shows one-channel images and frees its tensors', async () => {
    const images = randomImages(2, 6, 6, 1);
    const augmentation = buildPipeline(frugalWithAugment(), [{ op: 'rotate', degrees: 30 }]);
    const before = tf.memory().numTensors;
    const result = await previewGrid({ images, augmentation, versions: 2, rng: new Rng(2), file: join(root, 'grey.png') });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.columns).toBe(3);
    const meta = await sharp(join(root, 'grey.png')).metadata();
    expect(meta.channels).toBe(3);
    images.dispose();
  });
});
