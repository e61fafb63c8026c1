import { cpuProvider } from './cpu.js';
import { nativeProvider } from './native.js';
import { BACKEND_NAMES, type BackendName, type RuntimeBackendProvider } from './provider.js';
import { wasmProvider, type WasmProviderOptions } from './wasm.js';

export type BackendProviderOptions = WasmProviderOptions;

/** A fresh provider for each backend this package knows, best first. */
export function createBackendProviders(options: BackendProviderOptions = {}): Record<BackendName, RuntimeBackendProvider> {
  return {
    'tensorflow-gpu': nativeProvider(true),
    tensorflow: nativeProvider(false),
    wasm: wasmProvider(options),
    cpu: cpuProvider(),
  };
}

export function isBackendName(name: string): name is BackendName {
  return (BACKEND_NAMES as readonly string[]).includes(name);
}
