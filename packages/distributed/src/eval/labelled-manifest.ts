import { FrugalInputError } from '@frugal/core';
import { readImageManifest, type ImageManifest } from '@frugal/data';

/** A labelled folder (`dir/<class>/<image>`) as a manifest, with each image's class index in the model's class order. */
export interface LabelledManifest extends ImageManifest {
  readonly labels: readonly number[];
}

/** Reads `dir/<class>/...`; every class folder must be one of `classNames` (the model's). */
export async function readLabelledManifest(dir: string, classNames: readonly string[]): Promise<LabelledManifest> {
  const manifest = await readImageManifest(dir, { what: 'Evaluation folder' });
  const index = new Map(classNames.map((name, i) => [name, i]));
  const labels = manifest.entries.map((entry) => {
    const slash = entry.path.indexOf('/');
    if (slash < 0) {
      throw new FrugalInputError(`Image "${entry.path}" sits directly in the evaluation folder "${dir}"; put each image in its class folder (${dir}/<class>/<image>)`);
    }
    const name = entry.path.slice(0, slash);
    const label = index.get(name);
    if (label === undefined) {
      throw new FrugalInputError(`Folder "${name}" in "${dir}" is not a class of the model (its classes: ${classNames.join(', ')}); rename or remove it`);
    }
    return label;
  });
  if (labels.length === 0) throw new FrugalInputError(`Evaluation folder "${dir}" has no images; give a folder of dir/<class>/<image>`);
  return { ...manifest, labels };
}
