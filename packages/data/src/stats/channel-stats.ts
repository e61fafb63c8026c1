import type { ImageSet, Normalization } from '@frugal/core';

/** Per-channel mean and standard deviation of a set's pixels, on the [0, 1] scale. */
export function channelStats(set: ImageSet): Normalization {
  const channels = set.shape[2];
  const { pixels } = set;
  const sum: number[] = [];
  const sumSq: number[] = [];
  for (let c = 0; c < channels; c++) {
    let s = 0;
    let q = 0;
    for (let i = c; i < pixels.length; i += channels) {
      const v = pixels[i] as number;
      s += v;
      q += v * v;
    }
    sum.push(s);
    sumSq.push(q);
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
