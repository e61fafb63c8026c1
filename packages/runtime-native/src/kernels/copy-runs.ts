import { addon } from '../addon.js';
import { heapOf, type WasmBackend } from './wasm-heap.js';

/** A strided block of the heap: runs of `run` values, one per index over the `outer` axes. */
export interface RunLayout {
  /** The sizes of the axes the runs are laid along (outermost first). */
  outer: readonly number[];
  /** Per outer axis, the step between runs in the source and in the target, in 4-byte values. */
  sourceStrides: readonly number[];
  targetStrides: readonly number[];
  /** 4-byte values a run. */
  run: number;
}

/**
 * Copies a strided block of 4-byte values from byte offset `source` to byte offset `target` of the
 * wasm heap, in the addon: a slice reads runs spread out and writes them packed, a padding the
 * other way round.
 */
export function copyRuns(backend: WasmBackend, source: number, target: number, layout: RunLayout): void {
  const params = Int32Array.from([...layout.outer, ...layout.sourceStrides, ...layout.targetStrides, layout.run]);
  addon().copyRuns(heapOf(backend), source, target, layout.outer.length, params);
}
