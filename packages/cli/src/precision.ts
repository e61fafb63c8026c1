import { FrugalInputError } from '@frugal/core';

/** The environment variable the native backend reads its precision from. */
export const PRECISION_ENV = 'FRUGAL_PRECISION';

/** The precisions `--precision` and a recipe's `precision` take. */
export const PRECISIONS: readonly string[] = ['float32', 'bfloat16'];

/** `--precision P`, when given: it wins over a recipe's `precision`. */
let fromFlag: string | undefined;

function checked(precision: string, where: string): string {
  if (!PRECISIONS.includes(precision)) {
    throw new FrugalInputError(`${where}: give float32 or bfloat16 (bfloat16: the native backend's convolutions in bfloat16, on CPUs with AVX512-BF16 or AMX).`);
  }
  return precision;
}

/** `--precision P` sets the native backend's precision (through FRUGAL_PRECISION) before it starts. */
export function applyPrecisionFlag(precision: string | undefined): void {
  if (precision === undefined) return;
  fromFlag = checked(precision, `--precision ${precision}`);
  process.env[PRECISION_ENV] = fromFlag;
}

/** A recipe's (or ladder file's) `precision`, unless `--precision` was given: set before the backend starts. */
export function applyRecipePrecision(precision: unknown, file: string): void {
  if (precision === undefined || fromFlag !== undefined) return;
  process.env[PRECISION_ENV] = checked(String(precision), `${file}: precision "${String(precision)}"`);
}

/** Whether the native backend is to run its convolutions in bfloat16 (from --precision, the recipe or FRUGAL_PRECISION). */
export function bfloat16Chosen(): boolean {
  return process.env[PRECISION_ENV] === 'bfloat16';
}

/** Refuses bfloat16 on a backend that computes in float32 only. */
export function checkPrecision(backend: string): void {
  if (bfloat16Chosen() && backend !== 'native') {
    throw new FrugalInputError(`precision bfloat16 runs on the native backend only, and this run got "${backend}"; use --backend native, or precision float32.`);
  }
}
