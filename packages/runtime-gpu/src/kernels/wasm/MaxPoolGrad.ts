import { backend_util, MaxPoolGrad, type KernelConfig, type KernelFunc, type MaxPoolGradAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';

/**
 * MaxPool's gradient on wasm: each output's gradient goes to the first largest input of its window
 * (NHWC), as on the cpu backend. tfjs-backend-wasm's own kernel sends some of them to the wrong
 * input (even a 2×2 window at stride 2), which trains the ImageNet-layout ResNets and Inception
 * with wrong gradients.
 */
export function maxPoolGrad(args: { inputs: { dy: TensorInfo; input: TensorInfo }; backend: WasmBackend; attrs: MaxPoolGradAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { dy, input } = inputs;
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  const dx = backend.makeOutput([...input.shape], 'float32');
  const x = backend.typedArrayFromHeap(input) as Float32Array;
  const g = backend.typedArrayFromHeap(dy) as Float32Array;
  const out = backend.typedArrayFromHeap(dx) as Float32Array;
  out.fill(0);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth, strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const { filterHeight, filterWidth } = info;
  const { top, left } = info.padInfo;
  let o = 0;
  for (let b = 0; b < batchSize; b++) {
    const image = b * inHeight * inWidth * channels;
    for (let oy = 0; oy < outHeight; oy++) {
      const y0 = oy * strideHeight - top;
      for (let ox = 0; ox < outWidth; ox++) {
        const x0 = ox * strideWidth - left;
        for (let c = 0; c < channels; c++, o++) {
          let best = -Infinity;
          let at = -1;
          for (let ky = 0; ky < filterHeight; ky++) {
            const iy = y0 + ky * dilationHeight;
            if (iy < 0 || iy >= inHeight) continue;
            for (let kx = 0; kx < filterWidth; kx++) {
              const ix = x0 + kx * dilationWidth;
              if (ix < 0 || ix >= inWidth) continue;
              const i = image + (iy * inWidth + ix) * channels + c;
              const v = x[i] as number;
              if (v > best || at < 0) {
                best = v;
                at = i;
              }
            }
          }
          if (at >= 0) out[at] = (out[at] as number) + (g[o] as number);
        }
      }
    }
  }
  return dx;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: 'wasm',
  kernelFunc: maxPoolGrad as unknown as KernelFunc,
};
