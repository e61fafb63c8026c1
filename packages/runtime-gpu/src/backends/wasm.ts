import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { registerWasmTrainingKernels } from '../kernels/wasm/register.js';
import { removeNativeKernels } from './native-module.js';
import { errorMessage, installedVersion, packageDir, PRIORITIES, requireOptional, type ProbeResult, type RuntimeBackendProvider } from './provider.js';

const PACKAGE = '@tensorflow/tfjs-backend-wasm';

interface WasmModule {
  setWasmPaths(prefix: string): void;
  getThreadsCount(): number;
}

export interface WasmProviderOptions {
  /** Folder holding the `.wasm` binaries; by default the installed package's `dist/`. */
  wasmDir?: string;
}

/** The folder of the installed @tensorflow/tfjs-backend-wasm's `.wasm` files. */
export function installedWasmDir(): string {
  return join(packageDir(PACKAGE), 'dist');
}

/** Imports tfjs-backend-wasm (which registers its kernels). */
export async function loadWasmPackage(): Promise<WasmModule> {
  return (await requireOptional(PACKAGE)) as WasmModule;
}

/**
 * Starts tfjs-backend-wasm (reading its `.wasm` files from `wasmDir` or the installed package) and
 * makes it the active backend.
 */
export async function startWasm(options: WasmProviderOptions = {}): Promise<void> {
  const dir = options.wasmDir ?? installedWasmDir();
  // The paths must be set before the backend first starts; later calls change nothing.
  if (!tf.findBackend('wasm')) {
    (await loadWasmPackage()).setWasmPaths(dir + '/');
  }
  let ok = false;
  try {
    ok = await tf.setBackend('wasm');
  } catch (error) {
    throw new Error(`Backend "wasm" failed to start from ${dir}: ${errorMessage(error)}`, { cause: error });
  }
  if (!ok) throw new Error(`Backend "wasm" failed to start from ${dir}; see the warning above for the cause.`);
}

/**
 * tfjs-backend-wasm (XNNPACK, SIMD) with the training kernels of this package registered. In Node
 * its `.wasm` files are read from the installed package (or `wasmDir`).
 */
export function wasmProvider(options: WasmProviderOptions = {}): RuntimeBackendProvider {
  let module: WasmModule | undefined;

  const wasmDir = () => options.wasmDir ?? installedWasmDir();

  async function probe(): Promise<ProbeResult> {
    if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== 'object') {
      return { available: false, reason: 'this JavaScript runtime has no WebAssembly', remedy: 'Use backend "cpu", or a runtime with WebAssembly.' };
    }
    try {
      module = await loadWasmPackage();
    } catch (error) {
      if (installedVersion(PACKAGE) === null) {
        return { available: false, reason: `${PACKAGE} is not installed`, remedy: `Run \`npm install ${PACKAGE}@${tf.version_core}\`, or use backend "cpu".` };
      }
      return { available: false, reason: `${PACKAGE} failed to load: ${errorMessage(error)}`, remedy: `Reinstall ${PACKAGE}, or use backend "cpu".` };
    }
    const dir = wasmDir();
    const binary = join(dir, 'tfjs-backend-wasm-simd.wasm');
    if (!tf.findBackend('wasm') && !existsSync(binary)) {
      return {
        available: false,
        reason: `the WebAssembly binaries of ${PACKAGE} are not in ${dir} (no tfjs-backend-wasm-simd.wasm)`,
        remedy: `Reinstall ${PACKAGE}, or pass wasmDir pointing at a folder with its .wasm files.`,
      };
    }
    return { available: true };
  }

  return {
    name: 'wasm',
    tfjsBackend: 'wasm',
    packageName: PACKAGE,
    description: 'WebAssembly with SIMD (XNNPACK), plus the training kernels of @frugal/runtime-gpu',
    priority: PRIORITIES.wasm,
    probe,
    async activate() {
      const status = await probe();
      if (!status.available) throw new Error(`Backend "wasm" is unavailable: ${status.reason}. ${status.remedy}`);
      removeNativeKernels();
      registerWasmTrainingKernels();
      await startWasm(options);
    },
    async details() {
      return {
        package: PACKAGE,
        packageVersion: installedVersion(PACKAGE),
        wasmDir: wasmDir(),
        simd: tf.findBackend('wasm') ? await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT') : null,
        threadsInWasm: module && tf.findBackend('wasm') ? module.getThreadsCount() : null,
      };
    },
  };
}
