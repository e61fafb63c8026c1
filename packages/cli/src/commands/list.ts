import { closestName, REGISTRY_KINDS, type RegistryKind } from '@frugal/core';
import { frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';

/** `frugal list [kind]` — what is registered, with descriptions. */
export async function list(kind: string | undefined, out: Output): Promise<number> {
  if (kind && !REGISTRY_KINDS.includes(kind as RegistryKind)) {
    const close = closestName(kind, REGISTRY_KINDS);
    throw new UsageError(`Unknown list "${kind}"; ${close ? `did you mean "${close}"? ` : ''}choose one of ${REGISTRY_KINDS.join(', ')}`);
  }
  const frugal = await frugalWith();
  const kinds = kind ? [kind as RegistryKind] : REGISTRY_KINDS;
  const listing = Object.fromEntries(
    kinds.map((k) => [k, frugal[k].list().map((e) => ({ name: e.name, description: e.description, plugin: e.plugin }))]),
  );
  out.result(listing, () =>
    kinds
      .map((k) => {
        const entries = listing[k] ?? [];
        const width = Math.max(0, ...entries.map((e) => e.name.length));
        return `${k}:\n${entries.map((e) => `  ${e.name.padEnd(width)}  ${e.description}`).join('\n') || '  (none)'}`;
      })
      .join('\n\n'),
  );
  return 0;
}
