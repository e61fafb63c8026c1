import * as tf from '@tensorflow/tfjs-core';
import { listCudaDevices } from './gpu-info.js';
import { errorMessage, installedVersion, PRIORITIES, requireOptional, type ProbeResult, type RuntimeBackendProvider } from './provider.js';

interface NativeModule {
  version?: Record<string, string>;
}

/**
 * `@tensorflow/tfjs-node` or `@tensorflow/tfjs-node-gpu`: libtensorflow through a native addon,
 * registered by the package as the tfjs backend `tensorflow`. Optional peer dependencies, loaded by
 * `require` only when asked for.
 */
export function tensorflowProvider(gpu: boolean): RuntimeBackendProvider {
  const name = gpu ? 'tensorflow-gpu' : 'tensorflow';
  const packageName = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  let loaded: Promise<NativeModule> | undefined;
  const load = () => (loaded ??= requireOptional(packageName) as Promise<NativeModule>);

  async function probe(): Promise<ProbeResult> {
    if (gpu) {
      const devices = await listCudaDevices();
      if (devices.length === 0) {
        return {
          available: false,
          reason: 'no CUDA device (nvidia-smi finds no NVIDIA GPU or driver)',
          remedy: 'Run on a machine with an NVIDIA GPU and driver, CUDA 11.2 and cuDNN 8.1, or use backend "tensorflow" or "wasm".',
        };
      }
    }
    let module: NativeModule;
    try {
      module = await load();
    } catch (error) {
      loaded = undefined;
      if (installedVersion(packageName) === null) {
        return {
          available: false,
          reason: `${packageName} is not installed`,
          remedy:
            `Run \`npm install ${packageName}\` (its install downloads libtensorflow 2.9.1${gpu ? ' for CUDA 11.2 + cuDNN 8.1' : ''}, ` +
            'so it needs network access), or use backend "wasm".',
        };
      }
      return {
        available: false,
        reason: `libtensorflow failed to load through ${packageName}: ${errorMessage(error)}`,
        remedy: `Reinstall ${packageName} (\`npm rebuild ${packageName}\`) so that its install script downloads libtensorflow${
          gpu ? ', and check that CUDA 11.2 and cuDNN 8.1 libraries are on LD_LIBRARY_PATH' : ''
        }, or use backend "wasm".`,
      };
    }
    if (!tf.findBackendFactory('tensorflow')) {
      return {
        available: false,
        reason: `${packageName} loaded but registered its backend with another copy of @tensorflow/tfjs-core (${JSON.stringify(module.version ?? {})}; this one is ${tf.version_core})`,
        remedy: `Install versions of ${packageName} and @tensorflow/tfjs-core that share one @tensorflow/tfjs-core (\`npm ls @tensorflow/tfjs-core\` shows the copies).`,
      };
    }
    return { available: true };
  }

  return {
    name,
    tfjsBackend: 'tensorflow',
    packageName,
    description: gpu
      ? 'TensorFlow (libtensorflow) on an NVIDIA GPU through CUDA: @tensorflow/tfjs-node-gpu'
      : 'TensorFlow (libtensorflow) on the CPU, native code: @tensorflow/tfjs-node',
    priority: PRIORITIES[name],
    probe,
    async activate() {
      const status = await probe();
      if (!status.available) throw new Error(`Backend "${name}" is unavailable: ${status.reason}. ${status.remedy}`);
      if (!(await tf.setBackend('tensorflow'))) throw new Error(`Backend "${name}": tf.setBackend('tensorflow') failed`);
    },
    async details() {
      const binding = (tf.findBackend('tensorflow') as { binding?: { TF_Version?: string } } | null)?.binding;
      const out: Record<string, string | number | boolean | null> = {
        package: packageName,
        packageVersion: installedVersion(packageName),
        libtensorflow: binding?.TF_Version ?? null,
      };
      if (gpu) {
        const [device] = await listCudaDevices();
        out['gpuName'] = device?.name ?? null;
        out['gpuMemoryMiB'] = device?.memoryTotalMiB ?? null;
        out['gpuMemoryFreeMiB'] = device?.memoryFreeMiB ?? null;
        out['gpuDriver'] = device?.driverVersion ?? null;
      }
      return out;
    },
  };
}
