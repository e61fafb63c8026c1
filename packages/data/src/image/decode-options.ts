import { DEFAULT_IMAGE_DECODING, FrugalInputError, type ImageDecoding, type ModelCard, type ResizeKernel, type ResizePolicy } from '@frugal/core';

export type { ResizeKernel, ResizePolicy };

export type ColorMode = 'rgb' | 'grayscale';

/** What the decoder needs, as the user gives it. */
export interface DecodeOptions {
  /** Output size: one number for a square, or `[height, width]`. */
  size: number | readonly [number, number];
  /** Default `shorter-side-crop`: scale, then crop the centre; `exact` stretches to the size (the aspect ratio may change). */
  resize?: ResizePolicy;
  /** With `shorter-side-crop`: the length the shorter side is scaled to before the centre crop (e.g. 256 for a 224 crop). */
  shorterSide?: number;
  /** Default `rgb` (3 channels); `grayscale` gives 1 channel. */
  color?: ColorMode;
  /** Default `lanczos3` (sharp's default). */
  kernel?: ResizeKernel;
}

/** The decode parameters, complete; they are part of every cache key. */
export interface DecodeParams extends ImageDecoding {
  readonly height: number;
  readonly width: number;
  readonly channels: 1 | 3;
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
  const resize = options.resize ?? DEFAULT_IMAGE_DECODING.resize;
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
    kernel: options.kernel ?? DEFAULT_IMAGE_DECODING.kernel,
  };
}

/** What a decoding a source used records in the model card: the fields beyond size and colour. */
export function imageDecodingOf(params: DecodeParams): ImageDecoding {
  return { resize: params.resize, ...(params.shorterSide !== undefined ? { shorterSide: params.shorterSide } : {}), kernel: params.kernel };
}

/**
 * How to decode image files for a saved model: its card's input size and channels, fitted as its
 * training images were (the card's `decode`; the default for a card without one).
 */
export function modelDecodeParams(card: Pick<ModelCard, 'inputShape' | 'decode'>): DecodeParams {
  const [height, width, channels] = card.inputShape as [number, number, number];
  if (channels !== 1 && channels !== 3) {
    throw new FrugalInputError(`The model takes images of ${channels} channels; image files decode to 1 (grayscale) or 3 (RGB) channels`);
  }
  return decodeParams({ size: [height, width], color: channels === 1 ? 'grayscale' : 'rgb', ...(card.decode ?? DEFAULT_IMAGE_DECODING) });
}

/** Counts changes to what the decoder makes of the same parameters, so that cached pixels of an older decoder are not read back. */
const DECODER_VERSION = 2;

/** A stable text form of the parameters (for cache keys). */
export function decodeParamsKey(params: DecodeParams): string {
  return `v${DECODER_VERSION}/${params.height}x${params.width}x${params.channels}/${params.resize}/${params.shorterSide ?? '-'}/${params.kernel}`;
}
