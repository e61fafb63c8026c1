import { FrugalInputError } from '@frugal/core';

/** How images are fitted to the output size. */
export type ResizePolicy =
  /** Stretch to exactly height × width (the aspect ratio may change). */
  | 'exact'
  /** Scale so the shorter side is `shorterSide` (default: just covers the output), then crop the centre. */
  | 'shorter-side-crop';

export type ColorMode = 'rgb' | 'grayscale';

/** sharp's resampling kernels. */
export type ResizeKernel = 'nearest' | 'linear' | 'cubic' | 'mitchell' | 'lanczos2' | 'lanczos3';

/** What the decoder needs, as the user gives it. */
export interface DecodeOptions {
  /** Output size: one number for a square, or `[height, width]`. */
  size: number | readonly [number, number];
  /** Default `shorter-side-crop`. */
  resize?: ResizePolicy;
  /** With `shorter-side-crop`: the length the shorter side is scaled to before the centre crop (e.g. 256 for a 224 crop). */
  shorterSide?: number;
  /** Default `rgb` (3 channels); `grayscale` gives 1 channel. */
  color?: ColorMode;
  /** Default `lanczos3` (sharp's default). */
  kernel?: ResizeKernel;
}

/** The decode parameters, complete; they are part of every cache key. */
export interface DecodeParams {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
  readonly resize: ResizePolicy;
  readonly shorterSide?: number;
  readonly kernel: ResizeKernel;
}

function positiveInt(value: number, field: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new FrugalInputError(`${field}: got ${JSON.stringify(value)}; expected a whole number of pixels >= 1`);
  }
  return value;
}

export function decodeParams(options: DecodeOptions): DecodeParams {
  const [height, width] = typeof options.size === 'number' ? [options.size, options.size] : options.size;
  positiveInt(height, 'size (height)');
  positiveInt(width, 'size (width)');
  const resize = options.resize ?? 'shorter-side-crop';
  let shorterSide: number | undefined;
  if (options.shorterSide !== undefined) {
    if (resize !== 'shorter-side-crop') {
      throw new FrugalInputError(`shorterSide: only used with resize "shorter-side-crop", not "${resize}"; remove it or change resize`);
    }
    shorterSide = positiveInt(options.shorterSide, 'shorterSide');
    if (shorterSide < Math.max(height, width)) {
      throw new FrugalInputError(
        `shorterSide: got ${shorterSide}, smaller than the ${height}×${width} crop; use at least ${Math.max(height, width)}`,
      );
    }
  }
  return {
    height,
    width,
    channels: options.color === 'grayscale' ? 1 : 3,
    resize,
    ...(shorterSide !== undefined ? { shorterSide } : {}),
    kernel: options.kernel ?? 'lanczos3',
  };
}

/** A stable text form of the parameters (for cache keys). */
export function decodeParamsKey(params: DecodeParams): string {
  return `${params.height}x${params.width}x${params.channels}/${params.resize}/${params.shorterSide ?? '-'}/${params.kernel}`;
}
