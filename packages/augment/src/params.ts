import { z } from 'zod';

/** Probability that a sample is transformed. */
export function probability(defaultValue: number) {
  return z.number().min(0).max(1).default(defaultValue);
}

/** Pixel value used where a geometric op reads outside the image, in [0, 1]. */
export function fillValue(defaultValue: number) {
  return z.number().min(0).max(1).default(defaultValue);
}

export const interpolationSchema = z.enum(['bilinear', 'nearest']).default('bilinear');

export interface RangeOptions {
  readonly default: readonly [number, number];
  readonly min?: number;
  readonly max?: number;
  /** A single number v means [-v, v] (angles, shifts); otherwise it means [v, v]. */
  readonly symmetric?: boolean;
  readonly int?: boolean;
}

/**
 * A per-sample parameter range: `[min, max]`, each sample drawing its own value in it, or one
 * number (`30` means [-30, 30] for symmetric ranges such as angles, or exactly 30 otherwise).
 */
export function range(options: RangeOptions) {
  let bound = options.int ? z.number().int() : z.number();
  if (options.min !== undefined) bound = bound.min(options.min);
  if (options.max !== undefined) bound = bound.max(options.max);
  return z
    .union([bound, z.tuple([bound, bound])])
    .transform((v): [number, number] => (typeof v === 'number' ? (options.symmetric ? [-v, v] : [v, v]) : [v[0], v[1]]))
    .refine(([low, high]) => low <= high, { message: 'expected [min, max] with min <= max' })
    .default([options.default[0], options.default[1]]);
}

/** Whether an object schema declares `key` (used to hand a spec's `p` to ops that own it). */
export function schemaHasKey(schema: z.ZodType, key: string): boolean {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return typeof shape === 'object' && shape !== null && key in shape;
}
