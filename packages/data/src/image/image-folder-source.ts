import path from 'node:path';
import { FrugalInputError, type DatasetSource, type ImageSet, type Normalization } from '@frugal/core';
import { channelStats } from '../stats/channel-stats.js';
import type { SkippedImage } from './decode-images.js';
import { decodeParams, imageDecodingOf } from './decode-options.js';
import { listClassFolders } from './list-images.js';
import { loadImageFolder, loadUnlabelledFolder, type ImageFolderOptions } from './load-image-folder.js';
import { labelsFileNames } from './labels-file.js';
import { loadLabelledByFile } from './load-labelled-by-file.js';
import { StreamedFolder } from '../stream/streamed-folder.js';

export interface ImageFolderSourceOptions extends Omit<ImageFolderOptions, 'classNames'> {
  /** Training images: `dir/<class>/<image>`; with `labels`, images in any layout. */
  dir: string;
  /**
   * A labels file (CSV with a `file,class` header, or JSON lines with `file` and `class`) naming
   * the labelled images of `dir` by their path within it, or a list of them read as one; the
   * folder's other images are its unlabelled images, read in batches as `unlabelledDir`'s are.
   */
  labels?: string | readonly string[];
  /**
   * A labels file of the test images: in `testDir` (any layout), or without it in `dir`, whose
   * images it names are then neither labelled nor unlabelled training images.
   */
  testLabels?: string;
  classNames?: readonly string[];
  /** Test images in the same layout, with the same classes. */
  testDir?: string;
  /** Extra images without labels (any layout): listed now, decoded when a strategy reads them (`unlabelledStream`). */
  unlabelledDir?: string;
  /** Default: the training images' own per-channel mean and standard deviation. */
  normalization?: Normalization;
}

/** A dataset source from image folders: training (and optionally test and unlabelled) images. */
export async function loadImageFolderSource(options: ImageFolderSourceOptions): Promise<DatasetSource> {
  const { dir, testDir, unlabelledDir, labels, testLabels, normalization, ...rest } = options;
  if (testLabels !== undefined && testDir === undefined && labels === undefined) {
    throw new FrugalInputError(
      `image-folder: testLabels names test images of testDir, or of dir when labels names its training images; give testDir, or labels for the training images of "${dir}"`,
    );
  }
  if (labels !== undefined && unlabelledDir !== undefined) {
    throw new FrugalInputError(
      `image-folder: with labels, the images of "${dir}" that ${labelsFileNames(labels)} do${typeof labels === 'string' ? 'es' : ''} not name are the unlabelled ones; leave unlabelledDir ("${unlabelledDir}") out, or put its images in "${dir}"`,
    );
  }
  const skipped: SkippedImage[] = [];
  const byFile = labels !== undefined ? await loadLabelledByFile(dir, labels, rest) : undefined;
  const train = byFile ?? (await loadImageFolder(dir, rest));
  skipped.push(...train.skipped);
  const classNames = train.images.classNames;
  let test: ImageSet | undefined;
  let unlabelledRest = byFile?.rest;
  if (testLabels !== undefined) {
    const loaded = await loadLabelledByFile(testDir ?? dir, testLabels, { ...rest, classNames }, false);
    skipped.push(...loaded.skipped);
    test = loaded.images;
    if (testDir === undefined && byFile && unlabelledRest) {
      // One folder for both: an image is a training image or a test image, never both, and no test image is unlabelled.
      const both = [...loaded.named].find((file) => byFile.named.has(file));
      if (both) throw new FrugalInputError(`"${both}" is labelled in both ${labelsFileNames(labels ?? [])} and ${testLabels}; an image is for training or for testing`);
      unlabelledRest = { ...unlabelledRest, entries: unlabelledRest.entries.filter((entry) => !loaded.named.has(entry.path)) };
    }
  } else if (testDir !== undefined) {
    const listed = await listClassFolders(testDir);
    const extra = listed.classNames.filter((name) => !classNames.includes(name));
    if (extra.length) {
      throw new FrugalInputError(
        `Test folder "${testDir}" has class folder${extra.length > 1 ? 's' : ''} ${extra.map((e) => `"${e}"`).join(', ')} ` +
          `that the training folder "${dir}" lacks; the classes must be the same (training has: ${classNames.join(', ')})`,
      );
    }
    const loaded = await loadImageFolder(testDir, { ...rest, classNames });
    skipped.push(...loaded.skipped);
    test = loaded.images;
  }
  // Listed, not decoded: a strategy that streams reads it in batches; for the others the run loads it.
  const { concurrency: _concurrency, ...streamOptions } = rest;
  const unlabelledStream =
    unlabelledDir !== undefined
      ? await StreamedFolder.open(unlabelledDir, { ...streamOptions, classNames })
      : unlabelledRest && unlabelledRest.entries.length > 0
        ? StreamedFolder.fromManifest(dir, unlabelledRest, { ...streamOptions, classNames })
        : undefined;
  if (skipped.length) {
    (rest.log ?? ((m: string) => console.warn(m)))(`Skipped ${skipped.length} unreadable image${skipped.length > 1 ? 's' : ''} (skipBadImages)`);
  }
  return {
    name: path.basename(path.resolve(dir)),
    train: train.images,
    ...(test ? { test } : {}),
    ...(unlabelledStream ? { unlabelledStream } : {}),
    classNames,
    normalization: normalization ?? channelStats(train.images),
    decode: imageDecodingOf(decodeParams(rest)),
    ...(skipped.length ? { skipped } : {}),
  };
}

/** A source holding only unlabelled images (its training set is empty), to go beside a labelled one. */
export async function loadUnlabelledFolderSource(
  options: Omit<ImageFolderOptions, 'classNames'> & { dir: string; classNames?: readonly string[] },
): Promise<DatasetSource> {
  const { dir, ...rest } = options;
  const loaded = await loadUnlabelledFolder(dir, rest);
  const [h, w, c] = loaded.images.shape;
  const classNames = loaded.images.classNames;
  const empty: ImageSet = { shape: [h, w, c], pixels: new Uint8Array(0), labels: new Int32Array(0), classNames, origins: [] };
  return {
    name: path.basename(path.resolve(dir)),
    train: empty,
    unlabelled: loaded.images,
    classNames,
    normalization: channelStats(loaded.images),
    decode: imageDecodingOf(decodeParams(rest)),
    ...(loaded.skipped.length ? { skipped: loaded.skipped } : {}),
  };
}
