import { FrugalInputError } from '@frugal/core';
import { readImageManifest, type ImageManifest } from '@frugal/data';

/** A labelled folder (`dir/<class>/<image>`) as a manifest, with each image's class index in the model's class order. */
export interface LabelledManifest extends ImageManifest {
  readonly labels: readonly number[];
  /** Set when the folder's classes are not named as the model's and are matched by position instead. */
  readonly matchedByPosition?: string;
}

/** A list of names for a message: the first ten, and how many there are. */
function names(list: readonly string[]): string {
  return list.length <= 10 ? list.join(', ') : `${list.slice(0, 10).join(', ')}, … (${list.length} in all)`;
}

/**
 * Reads `dir/<class>/...` and labels each image with a class of the model: by name when every
 * class folder is named as one of `classNames` (a subset of them will do); else, when no folder
 * is named as a class and there are as many folders as classes, by position, the folders in
 * code-unit order (as ImageNet's folders of synset ids match a converted model's class indices).
 */
export async function readLabelledManifest(dir: string, classNames: readonly string[]): Promise<LabelledManifest> {
  const manifest = await readImageManifest(dir, { what: 'Evaluation folder' });
  if (manifest.entries.length === 0) throw new FrugalInputError(`Evaluation folder "${dir}" has no images; give a folder of dir/<class>/<image>`);
  const folderOf = manifest.entries.map((entry) => {
    const slash = entry.path.indexOf('/');
    if (slash < 0) {
      throw new FrugalInputError(`Image "${entry.path}" sits directly in the evaluation folder "${dir}"; put each image in its class folder (${dir}/<class>/<image>)`);
    }
    return entry.path.slice(0, slash);
  });
  const folders = [...new Set(folderOf)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  // Names compare in Unicode's composed form (NFC): macOS writes "é" decomposed, other systems composed.
  const byNfc = new Map(classNames.map((name, i) => [name.normalize('NFC'), i]));
  const byName = new Map(folders.filter((name) => byNfc.has(name.normalize('NFC'))).map((name) => [name, byNfc.get(name.normalize('NFC')) as number]));
  const stranger = folders.find((name) => !byName.has(name));
  if (stranger === undefined) return { ...manifest, labels: folderOf.map((name) => byName.get(name) as number) };
  if (folders.length !== classNames.length || folders.some((name) => byName.has(name))) {
    throw new FrugalInputError(
      `Folder "${stranger}" in "${dir}" is not a class of the model (its classes: ${names(classNames)}); rename or remove it, ` +
        `or give one folder per class of the model (${classNames.length}), matched to its classes in order`,
    );
  }
  const byPosition = new Map(folders.map((name, i) => [name, i]));
  return {
    ...manifest,
    labels: folderOf.map((name) => byPosition.get(name) as number),
    matchedByPosition:
      `The class folders of "${dir}" (${names(folders)}) are not named as the model's classes (${names(classNames)}); ` +
      'they are matched to them in order, the folders sorted by name',
  };
}
