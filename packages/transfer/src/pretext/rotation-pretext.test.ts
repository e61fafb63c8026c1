import { createFrugal, readModelCard, runRecipe, trainConfig, validateRecipe } from '@frugal/core';
import { strategyContext, stripes, tinyPlugin } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transfer } from '../index.js';
import { ROTATIONS, rotatedImages } from './rotated-images.js';
import { rotationPretextParams, trainRotationPretext } from './rotation-pretext.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-pretext-'));
beforeAll(() => useBackend('auto'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('rotatedImages', () => {
  it('turns each image a quarter turn at a time, every channel alike, and labels it by the turn', () => {
    // one 2×2 image with 2 channels: [[1, 2], [3, 4]] and ten times that
    const image = { shape: [2, 2, 2] as [number, number, number], pixels: Uint8Array.from([1, 10, 2, 20, 3, 30, 4, 40]), labels: Int32Array.from([7]), classNames: ['x'] };
    const set = rotatedImages(image, 5);
    expect(Array.from(set.labels)).toEqual([0, 1, 2, 3]);
    expect(set.classNames).toEqual([...ROTATIONS]);
    const firstChannel = Array.from(set.pixels).filter((_, i) => i % 2 === 0);
    expect(firstChannel).toEqual([1, 2, 3, 4, 2, 4, 1, 3, 4, 3, 2, 1, 3, 1, 4, 2]);
    expect(Array.from(set.pixels).filter((_, i) => i % 2 === 1)).toEqual(firstChannel.map((v) => v * 10));
  });

  it('takes images evenly spaced through the set', () => {
    const set = stripes(10, 1);
    const four = rotatedImages(set, 2);
    const size = 8 * 8;
    expect(four.labels).toHaveLength(8);
    expect(Array.from(four.pixels.subarray(4 * size, 5 * size))).toEqual(Array.from(set.pixels.subarray(5 * size, 6 * size)));
  });
});

describe('the rotation-pretext strategy', () => {
  it('learns the rotations of the unread training images, and starts a later run of 3 classes', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()] });
    const data = { dataset: 'stripes', labelledPerClass: 4, params: { count: 80, testCount: 20 } };
    const model = { name: 'tiny-staged', params: { width: 6 } };
    const logs: string[] = [];
    const pretext = validateRecipe({ seed: 2, data, model, strategy: { name: 'rotation-pretext', params: { images: 40 } }, train: { epochs: 6, batchSize: 16, optimizer: { lr: 0.1 } } }, frugal);
    const run = await runRecipe(frugal, pretext, { runDir: join(root, 'pretext'), quiet: true, log: (m) => logs.push(m) });
    expect(logs).toContain('Rotation task: 160 images (40 in 4 rotations each)');
    // 20 test images in 4 rotations; stripes turned a quarter are told apart (chance: 25%)
    expect(run.evaluation?.confusion.length).toBe(4);
    expect(run.evaluation?.accuracy).toBeGreaterThan(0.4);
    expect((await readModelCard(join(root, 'pretext', 'model'))).classNames).toEqual([...ROTATIONS]);

    const target = validateRecipe({ seed: 2, data, model: { ...model, init: join(root, 'pretext') }, train: { epochs: 1, batchSize: 8 } }, frugal);
    const later: string[] = [];
    const next = await runRecipe(frugal, target, { log: (m) => later.push(m) });
    expect(later.find((l) => l.startsWith('Started tiny-staged'))).toMatch(/weights copied, 2 initialised afresh \(head\/kernel, head\/bias\)$/);
    expect(next.evaluation?.confusion.length).toBe(3);
  });

  it('refuses images that are not square before it trains, as bad input naming the strategy', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()] });
    const square = stripes(12, 1);
    const oblong = { ...square, shape: [16, 4, 1] as [number, number, number] };
    const ctx = strategyContext(frugal, { labelled: oblong }, trainConfig({ epochs: 1, batchSize: 4 }));
    const run = trainRotationPretext(ctx, rotationPretextParams.parse({}));
    await expect(run).rejects.toMatchObject({ name: 'FrugalInputError' });
    await expect(run).rejects.toThrow(/strategy.name: rotation-pretext .*needs square images, but these are 16×4; give the dataset a square size/);
  });
});
