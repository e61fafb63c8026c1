import { addon } from './addon.js';

/** The environment variable that sets the precision of the native convolutions. */
export const PRECISION_ENV = 'FRUGAL_PRECISION';

/**
 * `float32`: every kernel reads and writes float32. `bfloat16`: convolutions (not grouped or
 * depthwise ones) and their input gradients read their inputs rounded to bfloat16 and accumulate
 * and write float32, as under PyTorch's `torch.autocast("cpu", dtype=torch.bfloat16)`; filter
 * gradients and everything else stay float32.
 */
export const PRECISIONS = ['float32', 'bfloat16'] as const;
export type Precision = (typeof PRECISIONS)[number];

/** The instruction sets (oneDNN's names, as `nativeInfo().isa` gives them) with bfloat16 arithmetic. */
const BFLOAT16_ISAS = ['avx512-bf16', 'avx512-amx'];

let current: Precision = 'float32';

/** Whether oneDNN's instruction set `isa` (as `nativeInfo().isa` names it) has bfloat16 arithmetic. */
export function hasBfloat16(isa: string): boolean {
  return BFLOAT16_ISAS.includes(isa);
}

export function isPrecision(value: unknown): value is Precision {
  return (PRECISIONS as readonly unknown[]).includes(value);
}

/** The precision `FRUGAL_PRECISION` asks for, else float32. */
export function defaultPrecision(): Precision {
  const raw = process.env[PRECISION_ENV];
  if (raw === undefined || raw === '') return 'float32';
  if (!isPrecision(raw)) throw new RangeError(`${PRECISION_ENV}=${raw} is not a precision; set it to ${PRECISIONS.join(' or ')}, or unset it.`);
  return raw;
}

/**
 * Sets the precision of the native convolutions. bfloat16 needs a CPU whose instruction set has
 * bfloat16 arithmetic (AVX512-BF16 or AMX); elsewhere it is refused, as oneDNN would only emulate it.
 */
export function setNativePrecision(precision: Precision = defaultPrecision()): Precision {
  if (!isPrecision(precision)) throw new RangeError(`precision must be ${PRECISIONS.join(' or ')}, got ${String(precision)}`);
  if (precision === 'bfloat16') {
    const isa = addon().info().isa;
    if (!hasBfloat16(isa)) {
      throw new RangeError(`precision bfloat16 needs a CPU with AVX512-BF16 or AMX, and this one has ${isa}; use precision float32.`);
    }
  }
  addon().setConvPrecision(precision === 'bfloat16');
  current = precision;
  return precision;
}

/** The precision of the native convolutions now. */
export function nativePrecision(): Precision {
  return current;
}
