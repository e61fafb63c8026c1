import * as tf from '@tensorflow/tfjs-core';
import { randomValues } from './compare.js';

/** A convolution's geometry for the kernel tests. */
export type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
export interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: Pad;
}

export const caseName = (c: ConvCase): string => `x [${c.x}] filter [${c.filter}] strides [${c.strides}] dilations [${c.dilations}] pad ${JSON.stringify(c.pad)}`;

/** A kernel input of `shape` with seeded values in [-1, 1). */
export const seededInput = (shape: number[], seed: number) => ({ values: randomValues(tf.util.sizeFromShape(shape), seed), shape });

/**
 * Many channels on tiny images: where the CPU gives oneDNN no JIT filter gradient for them, the
 * addon plans patches + matmul (conv-fallback.test.ts runs that plan on every machine).
 */
export const MANY_CHANNELS_ON_TINY_IMAGES: readonly ConvCase[] = [
  { x: [4, 2, 2, 512], filter: [3, 3, 512, 64], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: [3, 3, 3, 256], filter: [3, 3, 256, 32], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { x: [2, 2, 3, 384], filter: [2, 3, 384, 16], strides: [1, 1], dilations: [1, 1], pad: 'valid' },
];
