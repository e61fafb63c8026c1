import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { take, useCpu } from '../test-utils.js';
import { equalizeImages, equalizeOnHost, equalizeWithKernels } from './equalize.js';

beforeAll(useCpu);

/** PIL's ImageOps.equalize lookup table for one channel of 8-bit values. */
function pilEqualize(values: number[]): number[] {
  const histogram = new Array<number>(256).fill(0);
  for (const v of values) histogram[v]! += 1;
  const present = histogram.filter((h) => h > 0);
  if (present.length <= 1) return values;
  const step = Math.floor((present.reduce((a, b) => a + b, 0) - (present[present.length - 1] as number)) / 255);
  if (step === 0) return values;
  const lut: number[] = [];
  let n = Math.floor(step / 2);
  for (let i = 0; i < 256; i++) {
    lut.push(Math.min(255, Math.floor(n / step)));
    n += histogram[i] as number;
  }
  return values.map((v) => lut[v] as number);
}

describe('equalize', () => {
  it('matches PIL ImageOps.equalize channel by channel', () => {
    const n = 2;
    const size = 16 * 16;
    const bytes = Array.from({ length: n * size * 3 }, (_, i) => Math.floor(((Math.sin(i * 12.9898) * 43758.5453) % 1 + 1) % 1 * 120) + 40);
    const x = tf.tensor4d(bytes.map((v) => v / 255), [n, 16, 16, 3]);
    const out = Array.from(take(equalizeImages(x))).map((v) => Math.round(v * 255));
    for (let s = 0; s < n; s++) {
      for (let c = 0; c < 3; c++) {
        const channel = Array.from({ length: size }, (_, p) => bytes[(s * size + p) * 3 + c] as number);
        const got = Array.from({ length: size }, (_, p) => out[(s * size + p) * 3 + c] as number);
        expect(got).toEqual(pilEqualize(channel));
      }
    }
    x.dispose();
  });

  it('leaves a flat image unchanged', () => {
    const x = tf.fill([1, 4, 4, 3], 100 / 255) as tf.Tensor4D;
    for (const v of take(equalizeImages(x))) expect(Math.round(v * 255)).toBe(100);
    x.dispose();
  });

  it('gives the same values on the host as with tensor ops, halves and out-of-range values included', () => {
    // Values whose 255-fold is exactly a half (round to even), and values outside [0, 1].
    const halves: number[] = [];
    for (let level = 0; level < 255 && halves.length < 40; level += 7) {
      const x = Math.fround((level + 0.5) / 255);
      for (const v of [x, Math.fround(x * (1 + 2 ** -23)), Math.fround(x * (1 - 2 ** -23))]) if (Math.fround(v * 255) === level + 0.5) halves.push(v);
    }
    expect(halves.length).toBeGreaterThan(5);
    for (const [shape, seed] of [[[3, 9, 7, 1], 1], [[2, 6, 5, 3], 2], [[1, 28, 28, 1], 3]] as const) {
      const size = tf.util.sizeFromShape([...shape]);
      const values = Float32Array.from({ length: size }, (_, i) => {
        const r = ((Math.sin((i + 1) * 12.9898 * seed) * 43758.5453) % 1 + 1) % 1;
        return i % 5 === 0 ? (halves[i % halves.length] as number) : i % 11 === 0 ? r * 1.4 - 0.2 : r * 0.6 + 0.2;
      });
      const x = tf.tensor4d(values, [...shape]);
      const onHost = take(equalizeOnHost(x));
      const withKernels = take(equalizeWithKernels(x));
      expect(Array.from(onHost)).toEqual(Array.from(withKernels));
      x.dispose();
    }
  });
});
