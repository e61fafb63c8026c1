import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frugalWithAugment, maxDiff, take, useCpu } from '../test-utils.js';
import { displaceImages, drawDisplacementField } from './elastic.js';

beforeAll(useCpu);

/** A field that moves every pixel of a `height` × `width` image by the same (dy, dx). */
const constantField = (height: number, width: number, dy: number, dx: number) =>
  Float32Array.from({ length: height * width * 2 }, (_, i) => (i % 2 === 0 ? dy : dx));

describe('elastic', () => {
  const ramp = () => tf.tensor4d(Float32Array.from({ length: 2 * 4 * 5 }, (_, i) => (i % 20) / 20), [2, 4, 5, 1]);

  it('leaves an image with no field as it is, and reads one pixel over where the field says one pixel', () => {
    const images = ramp();
    const source = images.dataSync();
    const out = take(displaceImages(images, [null, constantField(4, 5, 0, 1)], 0.25));
    expect(maxDiff(out.subarray(0, 20), source.subarray(0, 20))).toBe(0);
    for (let y = 0; y < 4; y++) {
      for (let x = 0; x < 5; x++) {
        // Each output pixel reads the source pixel to its right; the last column reads outside: the fill.
        const expected = x < 4 ? (source[20 + y * 5 + x + 1] as number) : 0.25;
        expect(out[20 + y * 5 + x]).toBeCloseTo(expected, 6);
      }
    }
    images.dispose();
  });

  it('reads between pixels bilinearly', () => {
    const images = ramp();
    const source = images.dataSync();
    const out = take(displaceImages(images, [constantField(4, 5, 0.5, 0.25), null], 0));
    const at = (y: number, x: number) => source[y * 5 + x] as number;
    const expected = 0.5 * (0.75 * at(1, 2) + 0.25 * at(1, 3)) + 0.5 * (0.75 * at(2, 2) + 0.25 * at(2, 3));
    expect(out[1 * 5 + 2]).toBeCloseTo(expected, 6);
    images.dispose();
  });

  it("draws Simard's field: smooth, about 1.4 px at alpha 34 and sigma 4, the same for the same seed", () => {
    const field = drawDisplacementField(new Rng(3), 28, 28, 34, 4);
    const dy = field.filter((_, i) => i % 2 === 0);
    const mean = dy.reduce((a, b) => a + b, 0) / dy.length;
    const std = Math.sqrt(dy.reduce((a, b) => a + (b - mean) ** 2, 0) / dy.length);
    expect(std).toBeGreaterThan(0.7);
    expect(std).toBeLessThan(2.5);
    // Neighbours move together: a step to the next pixel changes the displacement far less than the field varies.
    let step = 0;
    for (let i = 0; i < 28 * 27; i++) step += Math.abs((dy[i + 28] as number) - (dy[i] as number));
    expect(step / (28 * 27)).toBeLessThan(std / 2);
    expect(maxDiff(field, drawDisplacementField(new Rng(3), 28, 28, 34, 4))).toBe(0);
    expect(maxDiff(field, drawDisplacementField(new Rng(4), 28, 28, 34, 4))).toBeGreaterThan(0);
  });

  it('as a recipe op: alpha 0 changes nothing, and a bad sigma names the field', () => {
    const frugal = frugalWithAugment();
    const images = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D;
    const still = take(frugal.augmentations.create('elastic', { alpha: 0, p: 1 }).apply(images, new Rng(1)));
    expect(maxDiff(still, images.dataSync())).toBe(0);
    const moved = take(frugal.augmentations.create('elastic', { p: 1 }).apply(images, new Rng(1)));
    expect(maxDiff(moved, images.dataSync())).toBeGreaterThan(0.1);
    expect(() => frugal.augmentations.create('elastic', { sigma: -1 })).toThrow(/augmentation\.elastic\.sigma/);
    images.dispose();
  });
});
