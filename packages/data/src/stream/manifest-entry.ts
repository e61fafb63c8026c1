import path from 'node:path';

/** One image of a folder: where it is (relative to the folder, with `/`), its size and modification time. */
export interface ManifestEntry {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** The absolute path of an entry of a manifest rooted at `root`. */
export function entryFile(root: string, entry: ManifestEntry | string): string {
  return path.join(root, ...(typeof entry === 'string' ? entry : entry.path).split('/'));
}
