import { FrugalInputError } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { registerWasmTrainingKernels } from '../kernels/wasm/register.js';
import { loadedNativeModule, loadNativeModule, NATIVE_PACKAGE as PACKAGE, type NativeModule } from './native-module.js';
import { errorMessage, installedVersion, PRIORITIES, type ProbeResult, type RuntimeBackendProvider } from './provider.js';
import { loadWasmPackage, startWasm, type WasmProviderOptions } from './wasm.js';

export interface NativeProviderOptions extends WasmProviderOptions {
  /** Threads of the native kernels; by default FRUGAL_NUM_THREADS, else one per core. */
  threads?: number;
  /** What the convolutions compute in; by default FRUGAL_PRECISION, else float32. */
  precision?: 'float32' | 'bfloat16';
}

/**
 * @frugal/runtime-native: the heavy training and inference kernels on oneDNN, multi-threaded,
 * registered over the wasm backend (they read and write its memory, so every other kernel stays
 * wasm's). An optional package; its addon builds where Debian's libdnnl-dev is installed.
 */
export function nativeProvider(options: NativeProviderOptions = {}): RuntimeBackendProvider {
  let loaded: NativeModule | undefined;

  async function probe(): Promise<ProbeResult> {
    try {
      loaded = await loadNativeModule();
    } catch (error) {
      if (installedVersion(PACKAGE) === null) {
        return {
          available: false,
          reason: `${PACKAGE} is not installed`,
          remedy: `Run \`apt-get install -y libdnnl-dev\`, then \`npm install ${PACKAGE}\` (its install builds the oneDNN addon), or use backend "wasm".`,
        };
      }
      return { available: false, reason: `${PACKAGE} failed to load: ${errorMessage(error)}`, remedy: `Reinstall ${PACKAGE}, or use backend "wasm".` };
    }
    const status = loaded.loadAddon();
    return status.available ? { available: true } : { available: false, reason: status.reason, remedy: status.remedy };
  }

  return {
    name: 'native',
    tfjsBackend: 'wasm',
    packageName: PACKAGE,
    description: 'oneDNN on every core for convolutions, matrix products, batch norm, pooling, reductions and element-wise kernels (over wasm): @frugal/runtime-native',
    priority: PRIORITIES.native,
    probe,
    async activate() {
      const status = await probe();
      if (!status.available) throw new Error(`Backend "native" is unavailable: ${status.reason}. ${status.remedy}`);
      loaded!.setNativeThreads(options.threads);
      try {
        loaded!.setNativePrecision(options.precision);
      } catch (error) {
        // A precision this CPU lacks, or a bad FRUGAL_PRECISION: the user's to change.
        throw new FrugalInputError(errorMessage(error), { cause: error });
      }
      // tfjs-backend-wasm registers its kernels when imported: import it before replacing them.
      await loadWasmPackage();
      registerWasmTrainingKernels();
      loaded!.registerNativeKernels();
      await startWasm(options);
    },
    async details() {
      const info = loadedNativeModule()?.nativeInfo() ?? null;
      return {
        package: PACKAGE,
        packageVersion: installedVersion(PACKAGE),
        oneDNN: info?.oneDNN ?? null,
        oneDNNLibrary: info?.oneDNNLibrary ?? null,
        isa: info?.isa ?? null,
        nativeThreads: info?.threads ?? null,
        precision: info?.precision ?? null,
        waitPolicy: info?.waitPolicy ?? null,
        addon: info?.addon ?? null,
        tfjsBackend: tf.getBackend() ?? null,
      };
    },
  };
}
