import { describe, expect, it } from 'vitest';
import { useBackend } from './use-backend.js';

describe('wasm binaries folder', () => {
  it('names the folder when the .wasm files are not there', async () => {
    await expect(useBackend('wasm', { wasmDir: '/nonexistent/wasm' })).rejects.toThrow(
      'Backend "wasm" is unavailable: the WebAssembly binaries of @tensorflow/tfjs-backend-wasm are not in /nonexistent/wasm (no tfjs-backend-wasm-simd.wasm). Reinstall @tensorflow/tfjs-backend-wasm, or pass wasmDir pointing at a folder with its .wasm files.',
    );
  });
});
