import type { backend_util } from '@tensorflow/tfjs-core';

export type Pad = 'valid' | 'same' | number | backend_util.ExplicitPadding;
export type RoundingMode = 'floor' | 'round' | 'ceil' | undefined;

/** Explicit NHWC padding as kernels take it: `[[0, 0], [top, bottom], [left, right], [0, 0]]`. */
export function explicitPadding(top: number, bottom: number, left: number, right: number): backend_util.ExplicitPadding {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/** `[h, w]` from a number or a pair. */
export function pair(value: number | [number, number] | readonly number[] | undefined, fallback = 1): [number, number] {
  if (value === undefined) return [fallback, fallback];
  if (typeof value === 'number') return [value, value];
  return [value[0] ?? fallback, value[1] ?? value[0] ?? fallback];
}

/** NCHW -> NHWC permutation and back. */
export const TO_CHANNELS_LAST = [0, 2, 3, 1];
export const TO_CHANNELS_FIRST = [0, 3, 1, 2];

export function isChannelsFirst(dataFormat: string | undefined): boolean {
  return dataFormat === 'NCHW' || dataFormat === 'channelsFirst';
}

/** A shape given in `dataFormat`, as NHWC. */
export function toChannelsLastShape(shape: readonly number[], channelsFirst: boolean): [number, number, number, number] {
  const [a, b, c, d] = shape as [number, number, number, number];
  return channelsFirst ? [a, c, d, b] : [a, b, c, d];
}
