import { z } from 'zod';

/** Largest side of an input image a recipe or model card may declare, and of the scale before a crop. */
export const MAX_INPUT_SIDE = 4096;

/** How an image is fitted to the input size: stretched to it, or scaled and centre-cropped. */
export const RESIZE_POLICIES = ['exact', 'shorter-side-crop'] as const;
/** sharp's resampling kernels. */
export const RESIZE_KERNELS = ['nearest', 'linear', 'cubic', 'mitchell', 'lanczos2', 'lanczos3'] as const;

export type ResizePolicy = (typeof RESIZE_POLICIES)[number];
export type ResizeKernel = (typeof RESIZE_KERNELS)[number];

/**
 * How an image file of any size becomes a model's input: what a dataset source decoded its
 * images with, recorded in the model card so that every later use of the model (predict, eval,
 * a teacher labelling a folder) fits images the same way.
 */
export interface ImageDecoding {
  readonly resize: ResizePolicy;
  /** With `shorter-side-crop`: the length the shorter side is scaled to before the centre crop (absent: just covers the input). */
  readonly shorterSide?: number;
  readonly kernel: ResizeKernel;
}

/** The decoding every reader assumes when a source or card names none. */
export const DEFAULT_IMAGE_DECODING: ImageDecoding = { resize: 'shorter-side-crop', kernel: 'lanczos3' };

export const imageDecodingSchema = z.strictObject({
  resize: z.enum(RESIZE_POLICIES),
  shorterSide: z.number().int().min(1).max(MAX_INPUT_SIDE).optional(),
  kernel: z.enum(RESIZE_KERNELS),
});
