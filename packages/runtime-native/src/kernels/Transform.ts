import { Transform, type TensorInfo, type TransformAttrs, type TransformInputs } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { addon } from '../addon.js';
import { heapOf, offsetOf, type WasmBackend } from './wasm-heap.js';

/**
 * Copies `count` 4-byte values from `source` to `target` (indices into `bits`, a view of the heap):
 * short runs (a pixel's channels) by a loop, which costs less than a call of `copyWithin` each.
 */
function copyRun(bits: Int32Array, target: number, source: number, count: number): void {
  if (count >= 32) bits.copyWithin(target, source, source + count);
  else for (let k = 0; k < count; k++) bits[target + k] = bits[source + k]!;
}

/** An image's map in whole pixels: source x = sx·x + dx, source y = sy·y + dy, with sx, sy = ±1. */
interface PixelMap {
  sx: number;
  dx: number;
  sy: number;
  dy: number;
}

/** The transform row as a whole-pixel flip or shift, or null when it is anything else. */
function pixelMap(t: Float32Array, at: number): PixelMap | null {
  const [a, b, c, d, e, f, g, h] = t.subarray(at, at + 8) as unknown as number[];
  const unit = (v: number | undefined) => v === 1 || v === -1;
  if (b !== 0 || d !== 0 || g !== 0 || h !== 0 || !unit(a) || !unit(e) || !Number.isInteger(c) || !Number.isInteger(f)) return null;
  return { sx: a!, dx: c!, sy: e!, dy: f! };
}

/** Whether every output pixel of a `height` × `width` image reads a pixel inside the source. */
function inside(m: PixelMap, height: number, width: number): boolean {
  const within = (s: number, shift: number, size: number) => [shift, s * (size - 1) + shift].every((v) => v >= 0 && v < size);
  return within(m.sx, m.dx, width) && within(m.sy, m.dy, height);
}

/** The fill modes the addon reads outside the image by, numbered as it takes them; reflect and wrap go to wasm. */
const FILL_MODES: Readonly<Record<string, number>> = { constant: 1, nearest: 4 };
const INTERPOLATIONS: Readonly<Record<string, number>> = { nearest: 1, bilinear: 2 };

/**
 * `tf.image.transform` on the wasm heap. Where every map is a whole-pixel flip or shift (a flip,
 * CIFAR's pad-and-crop), the pixels are copied: exactly what the wasm kernel gives (at whole pixels
 * the nearest and bilinear readings are the pixel itself), with a constant fill, or any mode where no
 * pixel is read from outside. Other maps (rotations, shears, RandAugment's translations) run in the
 * addon, with the wasm kernel's arithmetic, under a constant or nearest fill; reflect and wrap stay
 * with the wasm kernel.
 */
export const transformConfig = nativeKernel<TransformInputs, TransformAttrs>(Transform, ({ inputs, attrs, backend }) => {
  const image = inputs.image as TensorInfo;
  const transforms = inputs.transforms as TensorInfo;
  if (image.dtype !== 'float32' || image.shape.length !== 4 || transforms.dtype !== 'float32') return null;
  const [batch, height, width, channels] = image.shape as [number, number, number, number];
  if (attrs.outputShape != null && (attrs.outputShape[0] !== height || attrs.outputShape[1] !== width)) return null;
  const perImage = transforms.shape[0]! > 1;
  const rows = new Float32Array(heapOf(backend), offsetOf(backend, transforms), transforms.shape[0]! * 8);
  const maps: PixelMap[] = [];
  for (let i = 0; i < batch; i++) {
    const m = pixelMap(rows, perImage ? i * 8 : 0);
    if (m === null || (attrs.fillMode !== 'constant' && !inside(m, height, width))) return projected(image, transforms, attrs, backend);
    maps.push(m);
  }
  const out = backend.makeOutput([batch, height, width, channels], 'float32');
  if (batch * height * width * channels === 0) return out;
  const heap = new Float32Array(heapOf(backend));
  const bits = new Int32Array(heap.buffer);
  const source = offsetOf(backend, image) / 4;
  const target = offsetOf(backend, out) / 4;
  const row = width * channels;
  // Every pixel the fill, then the pixels read from inside the image copied over it.
  heap.fill(attrs.fillValue, target, target + batch * height * row);
  maps.forEach((m, i) => {
    for (let y = 0; y < height; y++) {
      const fromY = m.sy * y + m.dy;
      if (fromY < 0 || fromY >= height) continue;
      const to = target + (i * height + y) * row;
      const from = source + (i * height + fromY) * row;
      if (m.sx === 1) {
        // A shift: one run of the row.
        const first = Math.max(0, -m.dx);
        const end = Math.min(width, width - m.dx);
        if (end > first) copyRun(bits, to + first * channels, from + (first + m.dx) * channels, (end - first) * channels);
        continue;
      }
      for (let x = 0; x < width; x++) {
        const fromX = m.dx - x;
        if (fromX >= 0 && fromX < width) copyRun(bits, to + x * channels, from + fromX * channels, channels);
      }
    }
  });
  return out;
});

/** Any projective map, in the addon; null for the fill modes and interpolations it leaves to wasm. */
function projected(image: TensorInfo, transforms: TensorInfo, attrs: TransformAttrs, backend: WasmBackend): TensorInfo | null {
  const fillMode = FILL_MODES[attrs.fillMode];
  const interpolation = INTERPOLATIONS[attrs.interpolation];
  if (fillMode === undefined || interpolation === undefined) return null;
  const [batch, height, width, channels] = image.shape as [number, number, number, number];
  const out = backend.makeOutput([batch, height, width, channels], 'float32');
  if (batch * height * width * channels === 0) return out;
  const params = Int32Array.of(batch, height, width, channels, transforms.shape[0]! > 1 ? 1 : 0, interpolation, fillMode);
  addon().transformImages(heapOf(backend), offsetOf(backend, image), offsetOf(backend, transforms), offsetOf(backend, out), params, attrs.fillValue);
  return out;
}
