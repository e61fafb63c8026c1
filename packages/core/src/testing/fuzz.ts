import { isInputError } from '../errors.js';

/**
 * Cases per property in fuzz tests: FRUGAL_FUZZ_RUNS when set (longer runs), else `fallback`
 * (what the test suite runs).
 */
export function fuzzRuns(fallback: number): number {
  const n = Number(process.env.FRUGAL_FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

/**
 * Runs `fn` and returns true when it returned, false when it threw a `FrugalInputError`; any other
 * exception is rethrown (a fuzz failure).
 */
export async function resultOrInputError(fn: () => unknown): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (error) {
    if (isInputError(error)) return false;
    throw error;
  }
}
