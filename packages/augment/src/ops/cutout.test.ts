import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { eraseBoxes } from '../tensor/boxes.js';
import { frugalWithAugment, samples, take, useCpu } from '../test-utils.js';
import { drawCutoutBox } from './cutout.js';

beforeAll(useCpu);

describe('cutout', () => {
  it('zeroes exactly its region and nothing else', () => {
    const x = tf.tidy(() => tf.add(tf.randomUniform([2, 6, 7, 3], 0, 1, 'float32', 2), 0.01)) as tf.Tensor4D;
    const boxes = [[{ top: 1, left: 2, bottom: 4, right: 6 }], [{ top: 0, left: 0, bottom: 0, right: 0 }]];
    const out = take(eraseBoxes(x, boxes, 0));
    const src = x.dataSync();
    for (let s = 0; s < 2; s++) {
      for (let y = 0; y < 6; y++) {
        for (let c = 0; c < 7; c++) {
          for (let ch = 0; ch < 3; ch++) {
            const i = ((s * 6 + y) * 7 + c) * 3 + ch;
            const inBox = s === 0 && y >= 1 && y < 4 && c >= 2 && c < 6;
            expect(out[i]).toBe(inBox ? 0 : src[i]);
          }
        }
      }
    }
    x.dispose();
  });

  it('cuts a square of the asked side per sample, clipped at the border, at different places', () => {
    const n = 16;
    const x = tf.ones([n, 16, 16, 1]) as tf.Tensor4D;
    const aug = frugalWithAugment().augmentations.create('cutout', { size: 0.5 });
    const out = samples(take(aug.apply(x, new Rng(9))), n);
    const starts = new Set<number>();
    for (const image of out) {
      const zeros = [...image.keys()].filter((i) => image[i] === 0);
      const rows = zeros.map((i) => Math.floor(i / 16));
      const cols = zeros.map((i) => i % 16);
      const h = Math.max(...rows) - Math.min(...rows) + 1;
      const w = Math.max(...cols) - Math.min(...cols) + 1;
      expect(zeros.length).toBe(h * w); // one solid rectangle
      expect(h).toBeLessThanOrEqual(8);
      expect(w).toBeLessThanOrEqual(8);
      starts.add(zeros[0] as number);
    }
    expect(starts.size).toBeGreaterThan(4);
    x.dispose();
  });

  it('draws boxes of side length away from the border', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 100; i++) {
      const b = drawCutoutBox(rng, 32, 32, 16);
      if (b.top > 0 && b.bottom < 32) expect(b.bottom - b.top).toBe(16);
      expect(b.top).toBeGreaterThanOrEqual(0);
      expect(b.right).toBeLessThanOrEqual(32);
    }
  });
});
