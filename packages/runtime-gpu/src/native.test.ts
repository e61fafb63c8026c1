import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { listCudaDevices } from './backends/gpu-info.js';
import { randomValues, relativeError } from './test-support/compare-with-cpu.js';
import { createBackendProviders } from './backends/providers.js';
import { formatDeviceReport } from './doctor.js';
import { WASM_TRAINING_KERNELS } from './kernels/wasm/register.js';
import { useBackend } from './use-backend.js';

const has = async (name: string) =>
  import(/* @vite-ignore */ name).then(
    () => true,
    () => false,
  );
const hasNode = await has('@tensorflow/tfjs-node');
const hasNodeGpu = (await has('@tensorflow/tfjs-node-gpu')) && (await listCudaDevices()).length > 0;

/** A conv layer's filter gradient on the active backend. */
async function filterGradient(): Promise<Float32Array> {
  const x = tf.tensor4d(randomValues(2 * 9 * 9 * 3, 1), [2, 9, 9, 3]);
  const f = tf.tensor4d(randomValues(3 * 3 * 3 * 4, 2), [3, 3, 3, 4]);
  const g = tf.grad((w: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, w as tf.Tensor4D, 2, 'same'))))(f);
  const out = (await g.data()) as Float32Array;
  tf.dispose([x, f, g]);
  return out;
}

async function checkAgainstCpu(backend: 'tensorflow' | 'tensorflow-gpu'): Promise<void> {
  await tf.setBackend('cpu');
  const expected = await filterGradient();
  const report = await useBackend(backend);
  expect(report.tfjsBackend).toBe('tensorflow');
  expect(report.backendDetails['libtensorflow']).toBeTruthy();
  if (backend === 'tensorflow-gpu') expect(report.backendDetails['gpuName']).toBeTruthy();
  expect(relativeError(await filterGradient(), expected)).toBeLessThan(1e-4);
}

describe.skipIf(!hasNode)(`tensorflow backend${hasNode ? '' : ' (skipped: @tensorflow/tfjs-node is not installed here)'}`, () => {
  it('activates libtensorflow and computes gradients as the cpu backend does', () => checkAgainstCpu('tensorflow'));
});

describe.skipIf(!hasNodeGpu)(
  `tensorflow-gpu backend${hasNodeGpu ? '' : ' (skipped: @tensorflow/tfjs-node-gpu or a CUDA device is missing here)'}`,
  () => {
    it('activates libtensorflow on the GPU and computes gradients as the cpu backend does', () => checkAgainstCpu('tensorflow-gpu'));
  },
);

const nativeStatus = await createBackendProviders().native.probe();

describe.skipIf(!nativeStatus.available)(
  `native backend${nativeStatus.available ? '' : ` (skipped: ${nativeStatus.reason}; ${nativeStatus.remedy})`}`,
  () => {
    it('puts the oneDNN kernels over wasm, reports its threads and library, and gives the cpu backend’s gradients', async () => {
      await tf.setBackend('cpu');
      const expected = await filterGradient();
      const report = await useBackend('native', { threads: 2 });
      expect(report.backend).toBe('native');
      expect(report.tfjsBackend).toBe('wasm');
      expect(report.threads).toBe(2);
      expect(report.backendDetails['oneDNN']).toMatch(/^\d+\.\d+\.\d+$/);
      expect(report.backendDetails['oneDNNLibrary']).toMatch(/libdnnl\.so\.\d+$/);
      const { nativeKernelsRegistered } = (await import(/* @vite-ignore */ '@frugal/runtime-native')) as { nativeKernelsRegistered(): boolean };
      expect(nativeKernelsRegistered()).toBe(true);
      expect(relativeError(await filterGradient(), expected)).toBeLessThan(1e-5);
      expect(formatDeviceReport(report)).toMatch(/native/);
    });

    it('gives wasm back its own kernels when wasm is chosen after native', async () => {
      await useBackend('native');
      const nativeConv = tf.getKernel('Conv2D', 'wasm');
      await useBackend('wasm');
      expect(tf.getKernel('Conv2D', 'wasm')).not.toBe(nativeConv);
      expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(WASM_TRAINING_KERNELS.find((k) => k.kernelName === 'Conv2DBackpropFilter'));
    });
  },
);
