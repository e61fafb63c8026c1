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
