import type { TensorInfo } from '@tensorflow/tfjs-core';
import type { KernelScope } from './kernel-scope.js';

/**
 * Spreads the rows and columns of an NHWC tensor `strideH` and `strideW` apart with zeros between
 * (and after the last), giving [N, H*strideH, W*strideW, C]: the input of a transposed convolution.
 */
export function dilateSpatial(k: KernelScope, x: TensorInfo, strideH: number, strideW: number): TensorInfo {
  if (strideH === 1 && strideW === 1) return x;
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const spread = k.pad(k.reshape(x, [n, h, 1, w, 1, c]), [
    [0, 0],
    [0, 0],
    [0, strideH - 1],
    [0, 0],
    [0, strideW - 1],
    [0, 0],
  ]);
  return k.reshape(spread, [n, h * strideH, w * strideW, c]);
}

/**
 * Crops (negative amounts) an NHWC tensor at the top/bottom/left/right and returns the rest of
 * the padding (positive amounts) to hand to the convolution.
 */
export function cropNegativePadding(
  k: KernelScope,
  x: TensorInfo,
  top: number,
  bottom: number,
  left: number,
  right: number,
): { x: TensorInfo; top: number; bottom: number; left: number; right: number } {
  if (top >= 0 && bottom >= 0 && left >= 0 && right >= 0) return { x, top, bottom, left, right };
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const cropTop = Math.max(-top, 0);
  const cropLeft = Math.max(-left, 0);
  const height = h - cropTop - Math.max(-bottom, 0);
  const width = w - cropLeft - Math.max(-right, 0);
  return {
    x: k.slice(x, [0, cropTop, cropLeft, 0], [n, height, width, c]),
    top: Math.max(top, 0),
    bottom: Math.max(bottom, 0),
    left: Math.max(left, 0),
    right: Math.max(right, 0),
  };
}
