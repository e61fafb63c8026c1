import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';
import { createBackendProviders } from './backends/providers.js';

export interface RuntimeGpuOptions {
  /** Folder holding tfjs-backend-wasm's `.wasm` files; by default the installed package's. */
  wasmDir?: string;
}

/**
 * The plugin: registers the backends `tensorflow-gpu`, `tensorflow`, `wasm` and `cpu` with their
 * priorities (higher wins in `auto`). Registering activates nothing.
 */
export function runtimeGpu(options: RuntimeGpuOptions = {}): FrugalPlugin {
  return {
    name: '@frugal/runtime-gpu',
    register(registry) {
      for (const provider of Object.values(createBackendProviders(options))) {
        registry.backend({
          name: provider.name,
          description: `${provider.description} (priority ${provider.priority})`,
          params: z.strictObject({}),
          factory: () => createBackendProviders(options)[provider.name],
        });
      }
    },
  };
}
