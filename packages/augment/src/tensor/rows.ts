import * as tf from '@tensorflow/tfjs-core';

/** A function applied to some rows of a batch. */
export interface RowGroup {
  /** Rows of the batch, in the order `fn` sees them. */
  readonly indices: Int32Array;
  readonly fn: (rows: tf.Tensor4D, indices: Int32Array) => tf.Tensor4D;
  /** Named in the error when `fn` changes the image size. */
  readonly name?: string;
}

function isIdentityOrder(indices: Int32Array, n: number): boolean {
  if (indices.length !== n) return false;
  for (let i = 0; i < n; i++) if (indices[i] !== i) return false;
  return true;
}

/**
 * Applies each group's function to its rows and puts the results back in place; rows in no group
 * are left as they are. Groups must not overlap. Returns a new tensor (never `images` itself).
 */
export function applyToGroups(images: tf.Tensor4D, groups: readonly RowGroup[]): tf.Tensor4D {
  const n = images.shape[0];
  const live = groups.filter((g) => g.indices.length > 0);
  if (live.length === 0) return images.clone();
  const only = live[0] as RowGroup;
  if (live.length === 1 && isIdentityOrder(only.indices, n)) {
    const out = only.fn(images, only.indices);
    checkSize(images, out, only.name);
    return out === images ? images.clone() : out;
  }
  return tf.tidy(() => {
    const covered = new Uint8Array(n);
    const order: number[] = [];
    const parts: tf.Tensor4D[] = [];
    for (const group of live) {
      const rows = tf.gather(images, group.indices) as tf.Tensor4D;
      const out = group.fn(rows, group.indices);
      checkSize(rows, out, group.name);
      parts.push(out);
      for (const i of group.indices) {
        if (covered[i]) throw new Error(`applyToGroups: row ${i} is in two groups`);
        covered[i] = 1;
        order.push(i);
      }
    }
    const rest: number[] = [];
    for (let i = 0; i < n; i++) if (!covered[i]) rest.push(i);
    if (rest.length > 0) {
      parts.push(tf.gather(images, Int32Array.from(rest)) as tf.Tensor4D);
      order.push(...rest);
    }
    const stacked = parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts, 0);
    const inverse = new Int32Array(n);
    order.forEach((row, position) => (inverse[row] = position));
    return tf.gather(stacked, inverse) as tf.Tensor4D;
  });
}

/** Applies `fn` to the rows `indices` only. */
export function applyToRows(
  images: tf.Tensor4D,
  indices: Int32Array,
  fn: (rows: tf.Tensor4D, indices: Int32Array) => tf.Tensor4D,
  name?: string,
): tf.Tensor4D {
  return applyToGroups(images, [{ indices, fn, name }]);
}

function checkSize(input: tf.Tensor4D, output: tf.Tensor4D, name = 'an op'): void {
  const [, h, w, c] = input.shape;
  const [, oh, ow, oc] = output.shape;
  if (h !== oh || w !== ow || c !== oc) {
    throw new Error(
      `${name} turned ${h}×${w}×${c} images into ${oh}×${ow}×${oc} while applied to part of a batch; ` +
        `ops chosen per sample (probability, one-of, some-of, RandAugment) must keep the image size — ` +
        `put size-changing ops such as random-resized-crop with a size at the top level with p = 1.`,
    );
  }
}
