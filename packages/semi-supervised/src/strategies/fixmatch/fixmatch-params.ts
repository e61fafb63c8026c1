import { z } from 'zod';
import { coreParams } from './core-params.js';
import type { TermCheck } from './term.js';
import { fixMatchTermParams, fixMatchTerms } from './terms.js';

/** FixMatch's own parameters and its terms', each term's checked against the others by the term's checks. */
export const fixMatchParams = z.strictObject({ ...coreParams, ...fixMatchTermParams }).superRefine((p, ctx) => {
  for (const term of fixMatchTerms) {
    for (const check of (term.checks ?? []) as readonly TermCheck<z.ZodRawShape>[]) {
      if (!check.ok(p)) ctx.addIssue({ code: 'custom', message: check.message, path: [check.path] });
    }
  }
});

export type FixMatchParams = z.input<typeof fixMatchParams>;
export type FixMatchOptions = z.output<typeof fixMatchParams>;
