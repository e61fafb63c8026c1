import os from 'node:os';
import path from 'node:path';

/**
 * Where Frugal keeps what it can rebuild (downloads, decoded images): `$FRUGAL_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/frugal`, else `~/.cache/frugal`. Never inside a user's data folder.
 */
export function defaultCacheDir(): string {
  if (process.env.FRUGAL_CACHE_DIR) return path.resolve(process.env.FRUGAL_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME ? path.resolve(process.env.XDG_CACHE_HOME) : path.join(os.homedir(), '.cache');
  return path.join(base, 'frugal');
}

/** Whether `inner` is `outer` or lies inside it. */
export function isInside(inner: string, outer: string): boolean {
  const rel = path.relative(path.resolve(outer), path.resolve(inner));
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
