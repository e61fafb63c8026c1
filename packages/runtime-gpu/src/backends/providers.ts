import { cpuProvider } from './cpu.js';
import { nativeProvider, type NativeProviderOptions } from './native.js';
import { BACKEND_NAMES, type BackendName, type RuntimeBackendProvider } from './provider.js';
import { tensorflowProvider } from './tensorflow.js';
import { wasmProvider } from './wasm.js';

export type BackendProviderOptions = NativeProviderOptions;

/** A fresh provider for each backend this package knows, best first. */
export function createBackendProviders(options: BackendProviderOptions = {}): Record<BackendName, RuntimeBackendProvider> {
  return {
    'tensorflow-gpu': tensorflowProvider(true),
    tensorflow: tensorflowProvider(false),
    native: nativeProvider(options),
    wasm: wasmProvider(options),
    cpu: cpuProvider(),
  };
}

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}
