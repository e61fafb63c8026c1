import type { z } from 'zod';
import { FrugalInputError } from '../errors.js';
import { closestName, quotedName } from '../recipe/closest-name.js';
import { formatZodError } from '../recipe/format-zod-error.js';
import type { AugmentationFactory } from '../types.js';
import type { AugmentSpec } from './spec.js';

/** Where specs' names are looked up: an instance's augmentations (or a plugin's own entries). */
export interface AugmentationResolver {
  has(name: string): boolean;
  get(name: string): {
    readonly params: z.ZodType;
    readonly factory: AugmentationFactory;
    readonly plugin?: string;
    readonly fromText?: (text: string, path: string) => Record<string, unknown> | undefined;
  };
  names(): string[];
  /** Appended to "unknown augmentation" errors. */
  readonly unknownNameHint?: string;
}

/** A spec with its op resolved and its parameters checked (defaults filled in). */
export interface ParsedAugmentSpec {
  readonly op: string;
  readonly params: Record<string, unknown>;
  /** The probability asked for an op whose own parameters have no `p`: the op is applied to that share of samples. */
  readonly p?: number;
}

function schemaHasKey(schema: z.ZodType, key: string): boolean {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return typeof shape === 'object' && shape !== null && key in shape;
}

/** What an "unknown augmentation" error suggests when the resolver says nothing else. */
export const UNKNOWN_AUGMENTATION_HINT =
  'Check the spelling, or load the plugin that provides it (the stock ops and policies come from @frugal/augment: ' +
  'plugins: [augment()] in code, "plugins": ["@frugal/augment"] in a recipe).';

function unknownOp(op: string, resolver: AugmentationResolver, path: string): FrugalInputError {
  const known = resolver.names();
  const close = closestName(op, known);
  return new FrugalInputError(
    `${path}: unknown augmentation ${quotedName(op)}${close ? ` (did you mean "${close}"?)` : ''}. ` +
      `Registered augmentations: ${known.length ? known.join(', ') : 'none'}. ` +
      (resolver.unknownNameHint ?? UNKNOWN_AUGMENTATION_HINT),
  );
}

/** A spec as `{ op, params }`: a registered name, an entry's text form, or an object. */
function normalize(spec: AugmentSpec, resolver: AugmentationResolver, path: string): { op: string; params: Record<string, unknown> } {
  if (typeof spec !== 'string') {
    const { op, ...params } = spec;
    return { op, params };
  }
  if (resolver.has(spec)) return { op: spec, params: {} };
  for (const name of resolver.names()) {
    const params = resolver.get(name).fromText?.(spec, path);
    if (params) return { op: name, params };
  }
  throw unknownOp(spec, resolver, path);
}

/**
 * The one parser of augmentation specs: resolves the op (by name or text form), checks its
 * parameters against its registry entry and returns them with defaults filled in. Errors name
 * `path` (e.g. `recipe.augment[2]`) and the bad field.
 */
export function parseAugmentSpec(spec: AugmentSpec, resolver: AugmentationResolver, path: string): ParsedAugmentSpec {
  const { op, params } = normalize(spec, resolver, path);
  if (!resolver.has(op)) throw unknownOp(op, resolver, path);
  const entry = resolver.get(op);
  const { p, ...rest } = params;
  const ownsP = schemaHasKey(entry.params, 'p');
  const input = ownsP && p !== undefined ? { ...rest, p } : rest;
  const parsed = entry.params.safeParse(input);
  if (!parsed.success) throw new FrugalInputError(formatZodError(parsed.error, `${path} (${op})`, input, entry.params));
  const checked = parsed.data as Record<string, unknown>;
  if (ownsP || p === undefined) return { op, params: checked };
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new FrugalInputError(`${path} (${op}).p: got ${JSON.stringify(p)}; expected a probability between 0 and 1`);
  }
  return { op, params: checked, p };
}

/** A parsed spec back in object form, as a resolved recipe records it. */
export function specObject(parsed: ParsedAugmentSpec): Record<string, unknown> & { op: string } {
  return { op: parsed.op, ...parsed.params, ...(parsed.p === undefined ? {} : { p: parsed.p }) };
}
