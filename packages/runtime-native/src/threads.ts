import { cpus } from 'node:os';
import { addon } from './addon.js';

/** The environment variable that sets the number of threads the native kernels use. */
export const THREADS_ENV = 'FRUGAL_NUM_THREADS';

let current: number | undefined;

/** The thread count `FRUGAL_NUM_THREADS` asks for, else one per core. */
export function defaultThreads(): number {
  const raw = process.env[THREADS_ENV];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1) {
      throw new RangeError(`${THREADS_ENV}=${raw} is not a whole number of threads ≥ 1; unset it or set it to e.g. 2.`);
    }
    return n;
  }
  return Math.max(1, cpus().length);
}

/**
 * Sets the number of threads of the native kernels (oneDNN and the addon's own loops). Results are
 * identical from run to run for a given thread count; a different count may change the last bits
 * of sums (the order of a reduction follows the threads).
 */
export function setNativeThreads(threads: number = defaultThreads()): number {
  if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`threads must be a whole number ≥ 1, got ${threads}`);
  if (current !== threads) addon().setThreads(threads);
  current = threads;
  return threads;
}

/** The number of threads the native kernels use now. */
export function nativeThreads(): number {
  return current ?? addon().info().threads;
}
