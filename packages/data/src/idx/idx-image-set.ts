import { FrugalInputError, MAX_INPUT_SIDE, type ImageSet } from '@frugal/core';
import type { IdxArray } from './read-idx.js';

/**
 * An image set from an IDX image array (`n × rows × cols` or `n × rows × cols × channels`,
 * unsigned bytes) and an IDX label array (`n`), checked against each other and the class count.
 */
export function idxImageSet(images: IdxArray, labels: IdxArray, classNames: readonly string[]): ImageSet {
  if (images.type !== 'ubyte' || (images.dims.length !== 3 && images.dims.length !== 4)) {
    throw new FrugalInputError(
      `IDX file "${images.file}" holds ${images.dims.join('×')} ${images.type} values; images must be unsigned bytes of ` +
        `n×rows×cols (or n×rows×cols×channels). Is it a label file given as images?`,
    );
  }
  if (labels.dims.length !== 1 || labels.type === 'float32' || labels.type === 'float64') {
    throw new FrugalInputError(
      `IDX file "${labels.file}" holds ${labels.dims.join('×')} ${labels.type} values; labels must be one whole number per image. ` +
        `Is it an image file given as labels?`,
    );
  }
  const [n, rows, cols, channels = 1] = images.dims as [number, number, number, number?];
  if (n < 1 || rows < 1 || cols < 1 || rows > MAX_INPUT_SIDE || cols > MAX_INPUT_SIDE || channels < 1 || channels > 4) {
    throw new FrugalInputError(
      `IDX file "${images.file}" holds ${images.dims.join('×')} images; expected at least one image of 1..${MAX_INPUT_SIDE} rows and columns ` +
        `and 1..4 channels. Check that it is an image file of the MNIST family`,
    );
  }
  if (labels.dims[0] !== n) {
    throw new FrugalInputError(
      `IDX files do not match: "${images.file}" has ${n} images but "${labels.file}" has ${labels.dims[0]} labels; ` +
        `use the label file that belongs to these images`,
    );
  }
  const numClasses = classNames.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const y = labels.data[i] as number;
    if (y < 0 || y >= numClasses) {
      throw new FrugalInputError(
        `IDX file "${labels.file}" has label ${y} at index ${i}, outside 0..${numClasses - 1} (${numClasses} classes); ` +
          `give classNames for every label value, or use the matching label file`,
      );
    }
    out[i] = y;
  }
  const pixels = images.data as Uint8Array;
  return {
    shape: [rows, cols, channels],
    pixels,
    labels: out,
    classNames: [...classNames],
    origins: Array.from({ length: n }, (_, i) => `${images.file}#${i}`),
  };
}
