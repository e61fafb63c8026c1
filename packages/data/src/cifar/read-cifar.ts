import { FrugalInputError, type ImageSet } from '@frugal/core';

export const CIFAR_SIDE = 32;
const PLANE = CIFAR_SIDE * CIFAR_SIDE;

/** One batch file of a CIFAR binary version, as read from disk. */
export interface CifarBatch {
  readonly file: string;
  readonly bytes: Uint8Array;
}

/** How the records of a CIFAR binary version are laid out. */
export interface CifarLayout {
  /** Label bytes before each image. */
  readonly labelBytes: number;
  /** Which of them is the class. */
  readonly labelByte: number;
  /** The dataset's name, for messages. */
  readonly name: string;
}

/**
 * The images of CIFAR binary batch files, one after another: each record is the label bytes, then
 * 32×32 red, 32×32 green and 32×32 blue bytes, row by row; the pixels are laid out height × width ×
 * channels. A file that is not a whole number of records, or a label past the classes, is refused,
 * naming the file and the record.
 */
export function cifarImageSet(batches: readonly CifarBatch[], layout: CifarLayout, classNames: readonly string[]): ImageSet {
  const record = layout.labelBytes + 3 * PLANE;
  let n = 0;
  for (const { file, bytes } of batches) {
    if (bytes.length === 0 || bytes.length % record !== 0) {
      throw new FrugalInputError(
        `${layout.name}: "${file}" holds ${bytes.length.toLocaleString('en-US')} bytes, not a whole number of ${record.toLocaleString('en-US')}-byte records ` +
          `(${layout.labelBytes === 1 ? 'a label byte' : `${layout.labelBytes} label bytes`} and 32×32×3 pixels); it is cut short or not a ${layout.name} binary batch: replace it with an intact copy`,
      );
    }
    n += bytes.length / record;
  }
  const pixels = new Uint8Array(n * 3 * PLANE);
  const labels = new Int32Array(n);
  const origins: string[] = [];
  let i = 0;
  for (const { file, bytes } of batches) {
    for (let at = 0; at < bytes.length; at += record, i++) {
      const label = bytes[at + layout.labelByte] as number;
      if (label >= classNames.length) {
        throw new FrugalInputError(
          `${layout.name}: "${file}" has label ${label} in record ${at / record}, outside 0..${classNames.length - 1} (${classNames.length} classes); ` +
            `it is not a ${layout.name} binary batch: replace it with an intact copy`,
        );
      }
      labels[i] = label;
      origins.push(`${file}#${at / record}`);
      const image = bytes.subarray(at + layout.labelBytes, at + record);
      const out = i * 3 * PLANE;
      for (let p = 0; p < PLANE; p++) {
        pixels[out + 3 * p] = image[p] as number;
        pixels[out + 3 * p + 1] = image[PLANE + p] as number;
        pixels[out + 3 * p + 2] = image[2 * PLANE + p] as number;
      }
    }
  }
  return { shape: [CIFAR_SIDE, CIFAR_SIDE, 3], pixels, labels, classNames, origins };
}
