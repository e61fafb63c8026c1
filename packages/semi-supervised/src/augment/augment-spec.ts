import { FrugalInputError, type Augmentation, type Frugal } from '@frugal/core';
import { z } from 'zod';

/** One augmentation named by its registry entry, with its parameters: `{ op: 'rand-augment', n: 2, m: 10 }`. */
export const augmentSpecSchema = z.looseObject({ op: z.string().min(1) });
export type AugmentSpec = z.infer<typeof augmentSpecSchema>;

/** Where RandAugment comes from, for the message when it is missing. */
const PROVIDERS: Record<string, string> = {
  'rand-augment': '@frugal/augment',
  'trivial-augment': '@frugal/augment',
};

/**
 * Builds a pipeline of augmentations by registry name. An op that no loaded plugin registers is an
 * input error that says which plugin provides it and how to do without it.
 */
export function resolveAugmentations(frugal: Frugal, specs: readonly AugmentSpec[], field: string): Augmentation[] {
  return specs.map(({ op, ...params }, i) => {
    if (!frugal.augmentations.has(op)) {
      const provider = PROVIDERS[op];
      const known = frugal.augmentations.names();
      throw new FrugalInputError(
        `${field}[${i}] names the augmentation "${op}", which no loaded plugin registers` +
          ` (registered: ${known.length ? known.join(', ') : 'none'}). ` +
          (provider
            ? `It comes from ${provider}: load it (plugins: [augment()] in code, or "plugins": ["${provider}"] in the recipe), `
            : 'Load the plugin that provides it, ') +
          `name another augmentation in ${field}, or set ${field} to [] to train without it.`,
      );
    }
    return frugal.augmentations.create(op, params);
  });
}
