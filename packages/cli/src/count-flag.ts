import { UsageError } from './usage-error.js';

/** A whole number from 1 to `max` given to `flag` (`fallback` when it is not given), or exit 2 naming the flag. */
export function countFlag(value: string | undefined, flag: string, fallback: number, max: number): number {
  const n = value === undefined ? fallback : Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${max.toLocaleString('en')}, got ${JSON.stringify(value)}`);
  }
  return n;
}

/** Limits of the flags that take counts: larger values are typing mistakes that would exhaust memory. */
export const MAX_BATCH = 65_536;
export const MAX_SHARD = 1_000_000;
export const MAX_DECODE_THREADS = 64;
