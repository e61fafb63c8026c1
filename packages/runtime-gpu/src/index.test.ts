import { createFrugal, isInputError } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createBackendProviders, doctor, formatDeviceReport, listCudaDevices, registerWasmTrainingKernels, runtimeGpu, useBackend, WASM_TRAINING_KERNELS } from './index.js';

const installed = async (name: string) =>
  import(/* @vite-ignore */ name).then(
    () => true,
    () => false,
  );

describe('@frugal/runtime-gpu', () => {
  it('registers the five backends with their priorities, and nothing at import', async () => {
    expect(createFrugal().backends.names()).toEqual([]);
    const frugal = createFrugal({ plugins: [runtimeGpu()] });
    expect(frugal.backends.names()).toEqual(['cpu', 'native', 'tensorflow', 'tensorflow-gpu', 'wasm']);
    const priority = (name: string) => frugal.backends.provider(name).priority;
    expect(priority('tensorflow-gpu')).toBeGreaterThan(priority('tensorflow'));
    expect(priority('tensorflow')).toBeGreaterThan(priority('native'));
    expect(priority('native')).toBeGreaterThan(priority('wasm'));
    expect(priority('wasm')).toBeGreaterThan(priority('cpu'));
    await expect(frugal.backends.provider('cpu').probe()).resolves.toEqual({ available: true });
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
  });

  it('says why an absent native backend cannot run, and what to do', async () => {
    if (await installed('@tensorflow/tfjs-node')) return;
    const error = await useBackend('tensorflow').catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(/Backend "tensorflow" is unavailable: @tensorflow\/tfjs-node is not installed\. Run `npm install @tensorflow\/tfjs-node`/);
  });

  it('says "no CUDA device" or "not installed" for tensorflow-gpu where it cannot run', async () => {
    if (await installed('@tensorflow/tfjs-node-gpu')) return;
    const gpus = await listCudaDevices();
    await expect(useBackend('tensorflow-gpu')).rejects.toThrow(gpus.length ? /tfjs-node-gpu is not installed/ : /no CUDA device/);
  });

  it('rejects an unknown backend name with the known ones', async () => {
    await expect(useBackend('gpu' as never)).rejects.toThrow('Unknown backend "gpu" (did you mean "cpu"?). Known backends: auto, tensorflow-gpu, tensorflow, native, wasm, cpu.');
    await expect(useBackend('quantum' as never)).rejects.toThrow('Unknown backend "quantum". Known backends:');
    await expect(useBackend('wsam' as never)).rejects.toThrow('Unknown backend "wsam" (did you mean "wasm"?). Known backends:');
  });

  it('activates wasm from the installed package with the training kernels, and reports the device', async () => {
    const report = await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(report.backend).toBe('wasm');
    expect(report.reason).toBe('asked for "wasm"');
    expect(report.backendDetails['simd']).toBe(true);
    expect(report.backendDetails['wasmDir']).toMatch(/tfjs-backend-wasm[/\\]dist$/);
    expect(report.threads).toBe(1);
    for (const config of WASM_TRAINING_KERNELS) expect(tf.getKernel(config.kernelName, 'wasm')).toBe(config);
    const grad = tf.tidy(() => tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 5, 5, 2]) as tf.Tensor4D, f as tf.Tensor4D, 2, 'same')))(tf.ones([3, 3, 2, 1])));
    expect(grad.shape).toEqual([3, 3, 2, 1]);
    grad.dispose();
  });

  it('registers the training kernels idempotently', () => {
    registerWasmTrainingKernels();
    const before = WASM_TRAINING_KERNELS.map((c) => tf.getKernel(c.kernelName, 'wasm'));
    registerWasmTrainingKernels();
    expect(WASM_TRAINING_KERNELS.map((c) => tf.getKernel(c.kernelName, 'wasm'))).toEqual(before);
  });

  it('auto takes the best backend present and says what it skipped', async () => {
    const tensorflow = (await installed('@tensorflow/tfjs-node')) || (await installed('@tensorflow/tfjs-node-gpu'));
    const native = (await createBackendProviders().native.probe()).available;
    const report = await useBackend('auto');
    if (tensorflow) return;
    expect(report.backend).toBe(native ? 'native' : 'wasm');
    const skipped = 'skipped tensorflow-gpu: .*; tensorflow: @tensorflow\\/tfjs-node is not installed';
    expect(report.reason).toMatch(new RegExp(`^auto: the best backend present \\(${skipped}${native ? '' : '; native: .*'}\\)$`));
  });

  it('doctor() lists every backend with why it can or cannot run', async () => {
    const report = await doctor();
    expect(report.candidates.map((c) => c.name)).toEqual(['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu']);
    expect(report.candidates.find((c) => c.name === 'cpu')?.available).toBe(true);
    expect(report.versions['tfjs-core']).toBe(tf.version_core);
    expect(report.memory.totalMiB).toBeGreaterThan(0);
    const text = formatDeviceReport(report);
    expect(text).toContain('✓ wasm (priority 200)');
    expect(text).toContain('wasm training kernels: Conv2DBackpropFilter');
  });
});
