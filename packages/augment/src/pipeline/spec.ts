import { z } from 'zod';

/**
 * One augmentation in a recipe: an op name (`"flip"`), a timm RandAugment string
 * (`"rand-m9-n2-mstd0.5"`), or an object naming the op with its parameters
 * (`{ op: "rotate", degrees: 15, p: 0.5 }`). `p` is the probability that each sample gets the op;
 * compositions (`sequence`, `one-of`, `some-of`, `random-order`) hold further specs in `ops`.
 */
export type AugmentSpec = string | OpSpec;

export interface OpSpec {
  readonly op: string;
  readonly p?: number;
  readonly [param: string]: unknown;
}

export const opSpecSchema = z.looseObject({
  op: z.string().min(1),
  p: z.number().min(0).max(1).optional(),
});

/** Schema of one spec; the op's own parameters are checked against its registry entry when built. */
export const augmentSpecSchema: z.ZodType<AugmentSpec> = z.union([z.string().min(1), opSpecSchema]);

/** Schema of a recipe's augmentation list. */
export const pipelineSpecSchema = z.array(augmentSpecSchema);

/** A list of specs inside a composition or a policy. */
export const opListSchema = z.array(augmentSpecSchema).min(1);
