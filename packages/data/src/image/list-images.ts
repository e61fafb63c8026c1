import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { FrugalInputError } from '@frugal/core';
import { byCodeUnits, IMAGE_EXTENSIONS, isImageFile } from './image-extensions.js';

/** Image files under a folder, in a stable order, and the other files met on the way. */
export interface ImageListing {
  /** Absolute paths of the image files, sorted by relative path. */
  readonly files: string[];
  /** Paths (relative to the root) of files that are not images; dot-files are left out. */
  readonly ignored: string[];
}

/** A labelled folder: `root/<class>/<image>` (images may sit deeper inside a class folder). */
export interface ClassFolderListing {
  readonly root: string;
  readonly classNames: string[];
  readonly files: string[];
  readonly labels: number[];
  readonly ignored: string[];
}

async function requireDirectory(dir: string, what: string): Promise<string> {
  const abs = path.resolve(dir);
  const info = await stat(abs).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ELOOP') throw new FrugalInputError(`${what} "${dir}" is a loop of symbolic links; fix the link, or give the folder itself`);
    if (error.code !== 'ENOENT' && error.code !== 'ENOTDIR') throw error;
    return undefined;
  });
  if (!info) throw new FrugalInputError(`${what} "${dir}" does not exist; check the path (it is read relative to ${process.cwd()})`);
  if (!info.isDirectory()) throw new FrugalInputError(`${what} "${dir}" is a file, not a folder; give the folder that holds the images`);
  return abs;
}

/** Where a walk has been: the real path of the root and of every folder entered through a symlink. */
interface WalkState {
  readonly rootReal: string;
  readonly seen: Set<string>;
}

async function walkState(root: string): Promise<WalkState> {
  const rootReal = await realpath(root);
  return { rootReal, seen: new Set([rootReal]) };
}

/**
 * Image files under `dir`. A symlinked folder is followed only when it leads outside the root and
 * to a folder not seen yet: a link back into the tree would count images twice (or loop forever).
 */
async function walk(root: string, dir: string, out: { files: string[]; ignored: string[] }, state: WalkState): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    // A folder inside that this user may not read is passed over, as find(1) does, and said.
    if (dir === root || (error.code !== 'EACCES' && error.code !== 'EPERM')) throw error;
    out.ignored.push(`${path.relative(root, dir)} (a folder that cannot be read: ${error.code})`);
    return [];
  });
  entries.sort((a, b) => byCodeUnits(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      const target = await stat(full).catch(() => undefined);
      isDir = target?.isDirectory() ?? false;
      isFile = target?.isFile() ?? false;
      if (isDir) {
        const real = await realpath(full);
        if (real === state.rootReal || real.startsWith(state.rootReal + path.sep) || state.seen.has(real)) {
          out.ignored.push(`${path.relative(root, full)} (a link to a folder already read; not followed)`);
          continue;
        }
        state.seen.add(real);
      }
    }
    if (isDir) await walk(root, full, out, state);
    else if (isFile && isImageFile(entry.name)) out.files.push(full);
    else if (isFile) out.ignored.push(path.relative(root, full));
  }
}

/** Every image under `dir` (recursively), sorted; other files are reported in `ignored`. */
export async function listImages(dir: string, what = 'Image folder'): Promise<ImageListing> {
  const root = await requireDirectory(dir, what);
  const out = { files: [] as string[], ignored: [] as string[] };
  await walk(root, root, out, await walkState(root));
  return out;
}

/**
 * The classes of `root/<class>/...` in code-unit order (or in the order of `classNames`, which
 * then must all exist), with the images of each.
 */
export async function listClassFolders(dir: string, classNames?: readonly string[]): Promise<ClassFolderListing> {
  const root = await requireDirectory(dir, 'Image folder');
  const entries = (await readdir(root, { withFileTypes: true })).filter((e) => !e.name.startsWith('.'));
  const folders: string[] = [];
  const ignored: string[] = [];
  for (const entry of entries) {
    const full = path.join(root, entry.name);
    const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isDirectory());
    if (isDir) folders.push(entry.name);
    else ignored.push(isImageFile(entry.name) ? `${entry.name} (an image outside the class folders)` : entry.name);
  }
  // A class is its folder's name in Unicode's composed form (NFC): macOS writes "é" decomposed, other systems composed.
  const folderOf = new Map(folders.map((name) => [name.normalize('NFC'), name]));
  let classes: string[];
  if (classNames) {
    const missing = classNames.filter((name) => !folderOf.has(name.normalize('NFC')));
    if (missing.length) {
      throw new FrugalInputError(
        `Image folder "${dir}" has no class folder ${missing.map((m) => `"${m}"`).join(', ')}; ` +
          `its class folders are: ${folders.join(', ') || '(none)'}. It needs one for each class (${classNames.join(', ')}): add the missing folders.`,
      );
    }
    classes = [...classNames];
  } else {
    classes = [...folderOf.keys()].sort(byCodeUnits);
  }
  if (classes.length === 0) {
    throw new FrugalInputError(
      `Image folder "${dir}" has no class folders; expected one folder per class holding its images (${dir}/<class>/<image>)`,
    );
  }
  const files: string[] = [];
  const labels: number[] = [];
  const state = await walkState(root);
  for (const [label, name] of classes.entries()) {
    const out = { files: [] as string[], ignored: [] as string[] };
    const folder = folderOf.get(name.normalize('NFC')) as string;
    await walk(root, path.join(root, folder), out, state);
    if (out.files.length === 0) {
      throw new FrugalInputError(
        `Class folder "${path.join(dir, folder)}" has no images (${[...IMAGE_EXTENSIONS].join(', ')}); ` +
          `add images to it or remove the folder`,
      );
    }
    files.push(...out.files);
    labels.push(...out.files.map(() => label));
    ignored.push(...out.ignored);
  }
  return { root, classNames: classes, files, labels, ignored };
}

/** One notice for all ignored files (or nothing when there are none). */
export function ignoredNotice(dir: string, ignored: readonly string[]): string | undefined {
  if (ignored.length === 0) return undefined;
  // Each with why: a file's reason is said beside it, else its name is not an image's.
  const shown = ignored.slice(0, 5).map((file) => (file.endsWith(')') ? file : `${file} (not an image by name)`)).join(', ');
  const more = ignored.length > 5 ? `, and ${ignored.length - 5} more` : '';
  return `Ignored ${ignored.length} file${ignored.length === 1 ? '' : 's'} under "${dir}": ${shown}${more}`;
}
