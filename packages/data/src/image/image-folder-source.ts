import path from 'node:path';
import { FrugalInputError, type DatasetSource, type ImageSet, type Normalization } from '@frugal/core';
import { availableParallelism } from 'node:os';
import { ChannelSums, channelStats } from '../stats/channel-stats.js';
import type { SkippedImage } from './decode-images.js';
import { decodeParams, imageDecodingOf } from './decode-options.js';
import { ignoredNotice, listClassFolders } from './list-images.js';
import { loadImageFolder, type ImageFolderOptions } from './load-image-folder.js';
import { labelsFileNames } from './labels-file.js';
import { loadLabelledByFile } from './load-labelled-by-file.js';
import { readImageManifest, type ImageManifest } from '../stream/image-manifest.js';
import { StreamedFolder, type StreamedFolderOptions } from '../stream/streamed-folder.js';

/** Images decoded at a time for an unlabelled folder's statistics. */
const STATS_BATCH = 256;

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
          `that the training ${byFile ? `labels (${labelsFileNames(labels ?? [])}) do not name` : `folder "${dir}" lacks`}; the classes must be the same (training has: ${classNames.join(', ')})`,
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
    log(rest)(`Skipped ${skipped.length} unreadable image${skipped.length > 1 ? 's' : ''} (skipBadImages)`);
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

/**
 * A source holding only unlabelled images (its training set is empty), the data of a pretext run
 * before any label exists. It is never held in memory: a strategy that streams reads it in batches
 * (`unlabelledStream`), the others get it loaded. The folder is read once, a batch at a time, for
 * its channel statistics (its normalisation) and to find the images that do not decode; with
 * `statistics: false` (a run that normalises otherwise) it is only listed, and an image that does
 * not decode is found when it is read.
 */
export async function loadUnlabelledFolderSource(
  options: Omit<ImageFolderOptions, 'classNames'> & { dir: string; classNames?: readonly string[]; statistics?: boolean },
): Promise<DatasetSource> {
  const { dir, concurrency: _concurrency, statistics = true, ...rest } = options;
  const what = 'Unlabelled image folder';
  const manifest = await readImageManifest(dir, { what });
  if (manifest.entries.length === 0) throw new FrugalInputError(`${what} "${dir}" has no images; add images or remove it from the recipe`);
  const notice = ignoredNotice(dir, manifest.ignored);
  if (notice) log(rest)(notice);
  const classNames = [...(rest.classNames ?? [])];
  const params = decodeParams(rest);
  const measured = statistics ? await folderStats(dir, manifest, { ...rest, classNames }, params.channels) : undefined;
  const skipped = measured?.skipped ?? [];
  if (skipped.length) log(rest)(`Skipped ${skipped.length} unreadable image${skipped.length > 1 ? 's' : ''} (skipBadImages)`);
  const bad = new Set(skipped.map((image) => image.file));
  const readable = bad.size ? { ...manifest, entries: manifest.entries.filter((entry) => !bad.has(entry.path)) } : manifest;
  const [h, w, c] = [params.height, params.width, params.channels];
  return {
    name: path.basename(path.resolve(dir)),
    train: { shape: [h, w, c], pixels: new Uint8Array(0), labels: new Int32Array(0), classNames, origins: [] },
    unlabelledStream: StreamedFolder.fromManifest(dir, readable, { ...rest, classNames }),
    classNames,
    ...(measured ? { normalization: measured.stats } : {}),
    decode: imageDecodingOf(params),
    ...(skipped.length ? { skipped: skipped.map((image) => ({ ...image, file: path.join(dir, image.file) })) } : {}),
  };
}

/** A folder's per-channel statistics, read a batch at a time on every core, and the images that did not decode. */
async function folderStats(
  dir: string,
  manifest: ImageManifest,
  options: StreamedFolderOptions,
  channels: number,
): Promise<{ stats: Normalization; skipped: SkippedImage[] }> {
  const reading = StreamedFolder.fromManifest(dir, manifest, { ...options, threads: availableParallelism() });
  const sums = new ChannelSums(channels);
  const skipped: SkippedImage[] = [];
  try {
    const all = Int32Array.from(manifest.entries, (_, i) => i);
    for await (const batch of reading.read(all, { batchSize: STATS_BATCH })) {
      sums.add(batch.pixels);
      skipped.push(...batch.skipped);
    }
  } finally {
    await reading.close();
  }
  if (skipped.length === manifest.entries.length) {
    throw new FrugalInputError(`Unlabelled image folder "${dir}" has no readable images (all ${skipped.length} were skipped)`);
  }
  return { stats: sums.stats(), skipped };
}

/** Where a source's notices go. */
function log(options: Pick<ImageFolderOptions, 'log'>): (message: string) => void {
  return options.log ?? ((m: string) => console.warn(m));
}
