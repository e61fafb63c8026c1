import { isInputError } from '../errors.js';

/**
 * fast-check parameters for fuzz tests: `fallback` cases from a fixed seed, so the test suite is
 * the same on every run. FRUGAL_FUZZ_RUNS sets more cases and FRUGAL_FUZZ_SEED another seed
 * (`random` for a fresh one each run, to explore); a failure prints the seed that reproduces it.
 */
export function fuzzParameters(fallback: number): { numRuns: number; seed: number } {
  const runs = Number(process.env.FRUGAL_FUZZ_RUNS);
  const seedText = process.env.FRUGAL_FUZZ_SEED;
  const seed = seedText === 'random' ? Math.floor(Math.random() * 2 ** 31) : Number(seedText ?? 20261130);
  return { numRuns: Number.isInteger(runs) && runs > 0 ? runs : fallback, seed: Number.isInteger(seed) ? seed : 20261130 };
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
