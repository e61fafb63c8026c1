import type { ImageSet, Normalization } from '@frugal/core';

/** Per-channel sums of pixels added a batch at a time, for their mean and standard deviation. */
export class ChannelSums {
  private readonly sum: number[];
  private readonly sumSq: number[];
  private values = 0;

  constructor(private readonly channels: number) {
    this.sum = new Array<number>(channels).fill(0);
    this.sumSq = new Array<number>(channels).fill(0);
  }

  /** Adds images one after another (uint8, channels last). */
  add(pixels: Uint8Array): this {
    const { channels } = this;
    for (let c = 0; c < channels; c++) {
      let s = this.sum[c] as number;
      let q = this.sumSq[c] as number;
      for (let i = c; i < pixels.length; i += channels) {
        const v = pixels[i] as number;
        s += v;
        q += v * v;
      }
      this.sum[c] = s;
      this.sumSq[c] = q;
    }
    this.values += pixels.length / channels;
    return this;
  }

  /** The mean and standard deviation of each channel on the [0, 1] scale (std 1 where it is 0). */
  stats(): Normalization {
    const n = this.values;
    const mean: number[] = [];
    const std: number[] = [];
    for (let c = 0; c < this.channels; c++) {
      const m = n ? (this.sum[c] as number) / n : 0;
      const variance = n ? Math.max(0, (this.sumSq[c] as number) / n - m * m) : 0;
      mean.push(m / 255);
      std.push(Math.sqrt(variance) / 255 || 1);
    }
    return { mean, std };
  }
}

/** Per-channel mean and standard deviation of a set's pixels, on the [0, 1] scale. */
export function channelStats(set: ImageSet): Normalization {
  return new ChannelSums(set.shape[2]).add(set.pixels).stats();
}
