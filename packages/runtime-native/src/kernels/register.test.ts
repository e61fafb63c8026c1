import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { describe, expect, it } from 'vitest';
import { NATIVE_GRADIENTS, NATIVE_KERNELS, nativeKernelsRegistered, registerNativeKernels, unregisterNativeKernels } from './register.js';

describe('registering the native kernels over wasm', () => {
  it('replaces the wasm kernels and gradients, is idempotent, and puts them back', () => {
    const before = NATIVE_KERNELS.map((k) => tf.getKernel(k.kernelName, 'wasm'));
    const gradientsBefore = NATIVE_GRADIENTS.map((g) => tf.getGradient(g.kernelName));
    registerNativeKernels();
    registerNativeKernels();
    expect(nativeKernelsRegistered()).toBe(true);
    expect(NATIVE_GRADIENTS.map((g) => tf.getGradient(g.kernelName))).toEqual(NATIVE_GRADIENTS);
    const conv = tf.getKernel('Conv2D', 'wasm')!;
    expect(conv).not.toBe(before[0]);
    // The wasm kernel's set-up still runs when the backend starts (it binds the fallback).
    expect(conv.setupFunc).toBe(before[0]!.setupFunc);
    unregisterNativeKernels();
    unregisterNativeKernels();
    expect(nativeKernelsRegistered()).toBe(false);
    expect(NATIVE_KERNELS.map((k) => tf.getKernel(k.kernelName, 'wasm'))).toEqual(before);
    expect(NATIVE_GRADIENTS.map((g) => tf.getGradient(g.kernelName))).toEqual(gradientsBefore);
  });
});
