import { z } from 'zod';

/**
 * One augmentation wherever one is named (a recipe's `augment` list, a strategy's weak, strong or
 * noise views, a composition's `ops`): an op name (`"flip"`), a text form an entry understands
 * (RandAugment's `"rand-m9-n2-mstd0.5"`), or an object naming the op with its parameters
 * (`{ op: "rotate", degrees: 15, p: 0.5 }`). `p` is the probability that each sample gets the op.
 */
export type AugmentSpec = string | OpSpec;

export interface OpSpec {
  readonly op: string;
  readonly p?: number;
  readonly [param: string]: unknown;
}

export const opSpecSchema = z.looseObject({
  /** An `augmentations` registry name. */
  op: z.string().min(1),
  /** Probability that each sample gets the op. */
  p: z.number().min(0).max(1).optional(),
});

/** Schema of one spec; the op's own parameters are checked against its registry entry. */
export const augmentSpecSchema: z.ZodType<AugmentSpec> = z.union([z.string().min(1), opSpecSchema]);

/** A list of specs: a recipe's pipeline or a strategy's view. */
export const pipelineSpecSchema = z.array(augmentSpecSchema);

/** A non-empty list of specs inside a composition or a policy. */
export const opListSchema = z.array(augmentSpecSchema).min(1);
