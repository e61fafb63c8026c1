import { createHash } from 'node:crypto';

/** A short stable name for a run: the same inputs give the same id (and so the same job ids and shard folder). */
export function runId(kind: string, ...parts: readonly unknown[]): string {
  const hash = createHash('sha256').update(kind);
  for (const part of parts) hash.update('\u0000').update(typeof part === 'string' ? part : JSON.stringify(part));
  return `${kind}-${hash.digest('hex').slice(0, 16)}`;
}
