import { importOptional } from './provider.js';

/** The package of the native kernels (an optional peer dependency). */
export const NATIVE_PACKAGE = '@frugal/runtime-native';

/** The parts of @frugal/runtime-native the native provider uses. */
export interface NativeModule {
  loadAddon(): { available: true; path: string } | { available: false; reason: string; remedy: string };
  setNativeThreads(threads?: number): number;
  setNativePrecision(precision?: 'float32' | 'bfloat16'): string;
  registerNativeKernels(): void;
  unregisterNativeKernels(): void;
  nativeInfo(): { oneDNN: string; oneDNNLibrary: string; isa: string; threads: number; precision: string; waitPolicy: string | null; cores: number; addon: string } | null;
}

let loaded: NativeModule | undefined;

/** Imports @frugal/runtime-native once (throws where it is not installed). */
export async function loadNativeModule(): Promise<NativeModule> {
  loaded ??= (await importOptional(NATIVE_PACKAGE)) as NativeModule;
  return loaded;
}

/** The module if it was imported, else undefined. */
export function loadedNativeModule(): NativeModule | undefined {
  return loaded;
}

/** Puts the wasm backend's own kernels back where the native ones were (when wasm is chosen). */
export function removeNativeKernels(): void {
  loaded?.unregisterNativeKernels();
}
