import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface LockEntry {
  name?: string;
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [key: string]: unknown;
}

export interface PackedPackage {
  name: string;
  version: string;
  filename: string;
  integrity: string;
  /** The package's folder in the repository (its workspace path in the root lockfile). */
  dir: string;
}

const DROP = ['dev', 'devOptional', 'peer', 'extraneous', 'link'];

/**
 * A lockfile for a project that depends on `packed` tarballs and on `extra` registry packages, with
 * exactly the versions the repository's lockfile installed — so that `npm ci --offline` finds
 * every tarball in the npm cache that the repository's own install filled.
 */
export function appLockfile(repo: string, appName: string, packed: readonly PackedPackage[], extra: Record<string, string>, tarballDir: string) {
  const root = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const source = root.packages;
  const byName = new Map(packed.map((p) => [p.name, p]));
  const out: Record<string, LockEntry> = {};
  const dependencies: Record<string, string> = { ...extra };
  for (const p of packed) dependencies[p.name] = `file:${join(tarballDir, p.filename)}`;
  out[''] = { name: appName, dependencies };

  /** Where `dep` is found from the package at `from` (a root-lockfile path), as Node resolves it. */
  const resolve = (from: string, dep: string): string | undefined => {
    let dir = from;
    for (;;) {
      const candidate = dir ? `${dir}/node_modules/${dep}` : `node_modules/${dep}`;
      if (source[candidate]) return candidate;
      if (!dir) return undefined;
      const cut = dir.lastIndexOf('/node_modules/');
      dir = cut >= 0 ? dir.slice(0, cut) : '';
    }
  };

  const queue: { from: string; to: string }[] = [];
  const visit = (from: string, to: string, deps: Record<string, string>) => {
    for (const dep of Object.keys(deps)) {
      const own = byName.get(dep);
      if (own) {
        const at = `node_modules/${dep}`;
        if (out[at]) continue;
        const manifest = source[own.dir] as LockEntry;
        out[at] = {
          version: own.version,
          resolved: `file:${join(tarballDir, own.filename)}`,
          integrity: own.integrity,
          dependencies: manifest.dependencies,
          peerDependencies: manifest.peerDependencies,
          peerDependenciesMeta: manifest.peerDependenciesMeta,
        };
        queue.push({ from: own.dir, to: at });
        continue;
      }
      const found = resolve(from, dep);
      if (!found) continue; // an optional dependency this platform did not install
      // Paths under a workspace folder move under its node_modules entry in the app.
      const owner = packed.find((p) => found.startsWith(`${p.dir}/`));
      const at = owner ? `node_modules/${owner.name}${found.slice(owner.dir.length)}` : found;
      if (out[at]) continue;
      const entry: LockEntry = { ...source[found] };
      for (const key of DROP) delete entry[key];
      // The repository's lockfile leaves registry URLs out; with one, npm takes the tarball from
      // the cache by its integrity instead of asking the registry where it is.
      if (!entry.resolved && entry.version) {
        const name = at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length);
        entry.resolved = `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${entry.version}.tgz`;
      }
      out[at] = entry;
      queue.push({ from: found, to: at });
    }
  };

  visit('', '', dependencies);
  while (queue.length) {
    const { from, to } = queue.shift() as { from: string; to: string };
    const entry = out[to] as LockEntry;
    const required = Object.fromEntries(
      Object.entries(entry.peerDependencies ?? {}).filter(([name]) => !entry.peerDependenciesMeta?.[name]?.optional),
    );
    visit(from, to, { ...entry.dependencies, ...entry.optionalDependencies, ...required });
  }
  return { name: appName, lockfileVersion: 3, requires: true, packages: out };
}
