import { cpus } from 'node:os';
import { FrugalInputError } from '@frugal/core';
import { bfloat16Chosen } from './precision.js';

/** The environment variable the native backend reads its thread count from. */
export const THREADS_ENV = 'FRUGAL_NUM_THREADS';

/** `--threads N`, when given: it wins over a recipe's `threads`. */
let fromFlag: number | undefined;

/** `--threads N` sets the native backend's thread count (through FRUGAL_NUM_THREADS) before it starts. */
export function applyThreadsFlag(threads: string | undefined): void {
  if (threads === undefined) return;
  const n = Number(threads);
  if (!Number.isInteger(n) || n < 1 || n > 1024) {
    throw new FrugalInputError(`--threads ${threads}: give a whole number of threads from 1 to 1024 (e.g. --threads 2).`);
  }
  fromFlag = n;
  process.env[THREADS_ENV] = String(n);
}

/** A recipe's `threads` (a number; anything else is left to validation), unless `--threads` was given: set before the backend starts. */
export function applyRecipeThreads(threads: unknown): void {
  if (typeof threads === 'number' && fromFlag === undefined) process.env[THREADS_ENV] = String(threads);
}

/** `native (2 threads)`: the backend's name, with its threads (and bfloat16 precision, when chosen). */
export function backendNote(backend: string): string {
  if (backend !== 'native') return backend;
  const threads = threadsPerProcess(1);
  const bfloat16 = bfloat16Chosen() ? ', bfloat16' : '';
  return `${backend} (${threads} thread${threads === 1 ? '' : 's'}${bfloat16})`;
}

/**
 * `2 rungs at a time, 1 thread each`: how processes side by side share the native backend's
 * threads, and a warning when they ask for more threads than the machine has cores.
 */
export function sharedThreadsNote(processes: number, threads: number, what: string): string {
  const note = `${processes} ${what} at a time, ${threads} thread${threads === 1 ? '' : 's'} each`;
  const cores = cpus().length;
  if (processes * threads <= cores) return note;
  return `${note}: ${processes * threads} threads on ${cores} cores, so they slow each other down (--threads or ${THREADS_ENV} sets each one's threads; without them each takes ${coresEach(processes)})`;
}

/** The threads of each of `processes` processes sharing the cores, unless --threads or FRUGAL_NUM_THREADS says how many. */
export function threadsPerProcess(processes: number): number {
  return Number(process.env[THREADS_ENV]) || coresEach(processes);
}

/** The cores each of `processes` processes gets when they share the machine evenly (at least one). */
function coresEach(processes: number): number {
  return Math.max(1, Math.floor(cpus().length / processes));
}
