import type { ImageSet, Normalization } from '@frugal/core';

/** Per-channel mean and standard deviation of a set's pixels, on the [0, 1] scale. */
export function channelStats(set: ImageSet): Normalization {
  const channels = set.shape[2];
  const sum = new Float64Array(channels);
  const sumSq = new Float64Array(channels);
  const { pixels } = set;
  for (let i = 0; i < pixels.length; i++) {
    const v = pixels[i] as number;
    const c = i % channels;
    sum[c] = (sum[c] as number) + v;
    sumSq[c] = (sumSq[c] as number) + v * v;
  }
  const n = pixels.length / channels;
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    const m = n ? (sum[c] as number) / n : 0;
    const variance = n ? Math.max(0, (sumSq[c] as number) / n - m * m) : 0;
    mean.push(m / 255);
    std.push(Math.sqrt(variance) / 255 || 1);
  }
  return { mean, std };
}
