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
export function applyToGroups(images: tf.Tensor4D, groups: readonly RowGroup[], options: { via?: 'host' | 'kernels' } = {}): tf.Tensor4D {
  const n = images.shape[0];
  const live = groups.filter((g) => g.indices.length > 0);
  if (live.length === 0) return images.clone();
  const only = live[0] as RowGroup;
  if (live.length === 1 && isIdentityOrder(only.indices, n)) {
    const out = only.fn(images, only.indices);
    checkSize(images, out, only.name);
    return out === images ? images.clone() : out;
  }
  const via = options.via ?? (onHostMemory() ? 'host' : 'kernels');
  return via === 'host' ? applyOnHost(images, live) : applyWithKernels(images, live);
}

/**
 * Whether tensors live in this process's memory (the cpu and wasm backends). Their GatherV2 and
 * Slice kernels copy element by element (a 64-row gather of 32×32×3 images costs more than 50
 * full-batch multiplications on wasm), so rows are moved with `TypedArray.set` instead.
 */
export function onHostMemory(): boolean {
  const backend = tf.getBackend();
  return backend === 'cpu' || backend === 'wasm';
}

function checkGroups(groups: readonly RowGroup[], n: number): void {
  const covered = new Uint8Array(n);
  for (const group of groups) {
    for (const i of group.indices) {
      if (i < 0 || i >= n) throw new Error(`applyToGroups: row ${i} is outside the batch of ${n}`);
      if (covered[i]) throw new Error(`applyToGroups: row ${i} is in two groups`);
      covered[i] = 1;
    }
  }
}

function applyOnHost(images: tf.Tensor4D, groups: readonly RowGroup[]): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  checkGroups(groups, n);
  const size = h * w * c;
  const source = images.dataSync() as Float32Array;
  const result = new Float32Array(source);
  for (const group of groups) {
    const rows = new Float32Array(group.indices.length * size);
    group.indices.forEach((row, k) => rows.set(source.subarray(row * size, (row + 1) * size), k * size));
    const input = tf.tensor4d(rows, [group.indices.length, h, w, c]);
    const out = group.fn(input, group.indices);
    checkSize(input, out, group.name);
    const values = out.dataSync() as Float32Array;
    group.indices.forEach((row, k) => result.set(values.subarray(k * size, (k + 1) * size), row * size));
    if (out !== input) out.dispose();
    input.dispose();
  }
  return tf.tensor4d(result, [n, h, w, c]);
}

function applyWithKernels(images: tf.Tensor4D, groups: readonly RowGroup[]): tf.Tensor4D {
  const n = images.shape[0];
  checkGroups(groups, n);
  return tf.tidy(() => {
    // Sort the batch by group with one gather, work on contiguous slices, concatenate, and put the
    // rows back with one more gather: two gathers per call, however many groups.
    const order: number[] = groups.flatMap((g) => Array.from(g.indices));
    const grouped = order.length;
    const inGroup = new Uint8Array(n);
    for (const i of order) inGroup[i] = 1;
    for (let i = 0; i < n; i++) if (!inGroup[i]) order.push(i);
    const sorted = isIdentityOrder(Int32Array.from(order), n) ? images : (tf.gather(images, Int32Array.from(order)) as tf.Tensor4D);
    const parts: tf.Tensor4D[] = [];
    let offset = 0;
    for (const group of groups) {
      const rows = tf.slice(sorted, [offset, 0, 0, 0], [group.indices.length, -1, -1, -1]);
      const out = group.fn(rows, group.indices);
      checkSize(rows, out, group.name);
      parts.push(out);
      offset += group.indices.length;
    }
    if (grouped < n) parts.push(tf.slice(sorted, [grouped, 0, 0, 0], [n - grouped, -1, -1, -1]));
    const stacked = parts.length === 1 ? (parts[0] as tf.Tensor4D) : tf.concat(parts, 0);
    const inverse = new Int32Array(n);
    order.forEach((row, position) => (inverse[row] = position));
    return isIdentityOrder(inverse, n) ? stacked : (tf.gather(stacked, inverse) as tf.Tensor4D);
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
