import * as tf from '@tensorflow/tfjs-core';

/** How pixels that map outside the source image are filled (TensorFlow's `fill_mode`). */
export type FillMode = 'constant' | 'reflect' | 'wrap' | 'nearest';
export type Interpolation = 'nearest' | 'bilinear';

export interface TransformOptions {
  readonly interpolation?: Interpolation;
  readonly fillMode?: FillMode;
  /** Value of pixels from outside the image when `fillMode` is `constant`, in [0, 1]. */
  readonly fill?: number;
}

/**
 * An affine map per sample, from output pixel (x, y) to the source pixel it reads:
 * `[a, b, c, d, e, f]` means source = (a·x + b·y + c, d·x + e·y + f), with x the column and y the
 * row, both in pixels.
 */
export type AffineRows = Float32Array;

/** Identity maps for `n` samples. */
export function identityAffine(n: number): AffineRows {
  const out = new Float32Array(n * 6);
  for (let i = 0; i < n; i++) {
    out[i * 6] = 1;
    out[i * 6 + 4] = 1;
  }
  return out;
}

const batchedTransformWorks = new Map<string, boolean>();

/**
 * Whether this backend's `Transform` kernel handles a batch. The pure-JS cpu backend of
 * tfjs 4.22 returns after the first image and leaves the others at the fill value; there we
 * transform one image at a time.
 */
function transformHandlesBatches(): boolean {
  const backend = tf.getBackend();
  let works = batchedTransformWorks.get(backend);
  if (works === undefined) {
    works = tf.tidy(() => {
      const probe = tf.image.transform(tf.ones([2, 1, 1, 1]), tf.tensor2d([1, 0, 0, 0, 1, 0, 0, 0], [1, 8]), 'nearest', 'constant', 0);
      return (probe.dataSync()[1] as number) === 1;
    });
    batchedTransformWorks.set(backend, works);
  }
  return works;
}

/**
 * Applies one affine map per sample with a single batched `tf.image.transform` (TensorFlow's
 * projective transform kernel). Returns a new tensor.
 */
export function affineTransform(images: tf.Tensor4D, maps: AffineRows, options: TransformOptions = {}): tf.Tensor4D {
  const n = images.shape[0];
  if (maps.length !== n * 6) throw new Error(`affineTransform: ${maps.length / 6} maps for ${n} images`);
  const interpolation = options.interpolation ?? 'bilinear';
  const fillMode = options.fillMode ?? 'constant';
  const fill = options.fill ?? 0;
  const rows = new Float32Array(n * 8);
  for (let i = 0; i < n; i++) rows.set(maps.subarray(i * 6, i * 6 + 6), i * 8);
  return tf.tidy(() => {
    if (n <= 1 || transformHandlesBatches()) {
      return tf.image.transform(images, tf.tensor2d(rows, [n, 8]), interpolation, fillMode, fill);
    }
    const singles = tf.split(images, n, 0).map((image, i) =>
      tf.image.transform(image as tf.Tensor4D, tf.tensor2d(rows.subarray(i * 8, i * 8 + 8), [1, 8]), interpolation, fillMode, fill),
    );
    return tf.concat(singles, 0);
  });
}

/** Centre of an image of `size` pixels along one axis, in pixel coordinates. */
export function centre(size: number): number {
  return (size - 1) / 2;
}
