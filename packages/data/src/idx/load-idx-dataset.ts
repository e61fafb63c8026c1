import { createHash } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { FrugalInputError, MAX_CLASSES, type DatasetSource, type ImageSet, type Normalization } from '@frugal/core';
import { datasetCacheDir, mirrorUrls, type DatasetDownloadOptions } from '../download/dataset-download.js';
import { downloadFile } from '../download/download-file.js';
import { channelStats } from '../stats/channel-stats.js';
import { FASHION_MNIST, MNIST, type IdxDatasetDescriptor, type IdxFileSpec } from './idx-datasets.js';
import { idxImageSet } from './idx-image-set.js';
import { parseIdx, readIdx, readIdxBytes } from './read-idx.js';

export interface IdxDatasetOptions extends DatasetDownloadOptions {
  /** A folder holding the four files (raw or `.gz`); when given, they must be there. */
  dir?: string;
}

/** The names a file may have locally: as served (`x.gz`), decompressed (`x`), or with a dot (`train-images.idx3-ubyte`). */
function localNames(spec: IdxFileSpec): string[] {
  const raw = spec.name.replace(/\.gz$/, '');
  const dotted = raw.replace(/-idx(\d)/, '.idx$1');
  return [...new Set([spec.name, raw, `${raw}.gz`, dotted, `${dotted}.gz`])];
}

async function findIn(dir: string, spec: IdxFileSpec): Promise<string | undefined> {
  for (const name of localNames(spec)) {
    const file = path.join(dir, name);
    if ((await stat(file).catch(() => undefined))?.isFile()) return file;
  }
  return undefined;
}

/** Where one file of the dataset is, downloading it when allowed and needed. */
async function locate(
  descriptor: IdxDatasetDescriptor,
  spec: IdxFileSpec,
  options: IdxDatasetOptions,
): Promise<{ file: string; downloaded: boolean }> {
  if (options.dir !== undefined) {
    const file = await findIn(options.dir, spec);
    if (file) return { file, downloaded: false };
    throw new FrugalInputError(
      `${descriptor.name}: "${options.dir}" has no ${localNames(spec).join(' / ')}; put the file there or leave dir out to use the download cache`,
    );
  }
  for (const dir of descriptor.localDirs) {
    const file = await findIn(dir, spec);
    if (file) return { file, downloaded: false };
  }
  const cache = datasetCacheDir(descriptor.name, options.cacheDir);
  const cached = await findIn(cache, spec);
  if (cached) return { file: cached, downloaded: true };
  if (options.download === false) {
    const looked = [...descriptor.localDirs, cache].join(', ');
    throw new FrugalInputError(
      `${descriptor.name}: ${spec.name} is not in ${looked} and downloads are off; allow download, or give dir: a folder holding it`,
    );
  }
  const mirrors = options.mirrors ?? descriptor.mirrors;
  const { file } = await downloadFile({
    urls: mirrorUrls(mirrors, spec.name),
    dest: path.join(cache, spec.name),
    sha256: spec.sha256,
    size: spec.size,
    progress: options.progress,
    log: options.log,
    signal: options.signal,
  });
  return { file, downloaded: true };
}

async function readChecked(descriptor: IdxDatasetDescriptor, spec: IdxFileSpec, options: IdxDatasetOptions) {
  const { file, downloaded } = await locate(descriptor, spec, options);
  if (!spec.contentSha256) return readIdx(file);
  const bytes = await readIdxBytes(file);
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== spec.contentSha256) {
    if (downloaded) await rm(file, { force: true });
    throw new FrugalInputError(
      `${descriptor.name}: "${file}" does not hold the published ${spec.name} (content SHA-256 ${actual}, expected ${spec.contentSha256}); ` +
        (downloaded ? 'it was removed from the cache, try again' : 'replace it with an intact copy'),
    );
  }
  return parseIdx(bytes, file);
}

/**
 * Loads an IDX dataset described by `descriptor`: from `dir`, else the system folders, else the
 * download cache, else its mirrors (verified, resumable).
 */
export async function loadIdxDataset(descriptor: IdxDatasetDescriptor, options: IdxDatasetOptions = {}): Promise<DatasetSource> {
  const split = async (part: 'train' | 'test'): Promise<ImageSet> => {
    const images = await readChecked(descriptor, descriptor[part].images, options);
    const labels = await readChecked(descriptor, descriptor[part].labels, options);
    return idxImageSet(images, labels, descriptor.classNames);
  };
  const train = await split('train');
  const test = await split('test');
  return { name: descriptor.name, train, test, classNames: descriptor.classNames, normalization: descriptor.normalization };
}

export interface IdxFilesOptions {
  trainImages: string;
  trainLabels: string;
  testImages?: string;
  testLabels?: string;
  /** One name per label value; default `0`..`max label`. */
  classNames?: readonly string[];
  /** Default: the training pixels' own mean and standard deviation. */
  normalization?: Normalization;
  name?: string;
}

/**
 * The classes `0`..`max label` of labels given without class names, each of which must label a
 * training image: a class without one is a damaged or foreign labels file, not a class.
 */
function countedClasses(labels: ArrayLike<number>, file: string): string[] {
  let max = 0;
  for (let i = 0; i < labels.length; i++) max = Math.max(max, labels[i] as number);
  if (max >= MAX_CLASSES) {
    throw new FrugalInputError(`IDX labels "${file}": label ${max} would make ${max + 1} classes, more than ${MAX_CLASSES}; check the file, or give classNames`);
  }
  const seen = new Uint8Array(max + 1);
  for (let i = 0; i < labels.length; i++) seen[labels[i] as number] = 1;
  const missing = seen.indexOf(0);
  if (missing >= 0) {
    const at = Array.prototype.indexOf.call(labels, max);
    throw new FrugalInputError(
      `IDX labels "${file}": label ${max} (item ${at}) makes ${max + 1} classes, but class ${missing} labels no training image; ` +
        'labels number the classes from 0 without gaps: check the file, or give classNames',
    );
  }
  return Array.from({ length: max + 1 }, (_, i) => String(i));
}

/** Loads any IDX image/label files (raw or `.gz`) as a dataset source. */
export async function loadIdxFiles(options: IdxFilesOptions): Promise<DatasetSource> {
  if ((options.testImages === undefined) !== (options.testLabels === undefined)) {
    throw new FrugalInputError('testImages and testLabels go together: give both or neither');
  }
  const [trainImages, trainLabels] = await Promise.all([readIdx(options.trainImages), readIdx(options.trainLabels)]);
  const classNames = options.classNames ?? countedClasses(trainLabels.data, options.trainLabels);
  const train = idxImageSet(trainImages, trainLabels, classNames);
  let test: ImageSet | undefined;
  if (options.testImages !== undefined && options.testLabels !== undefined) {
    const [images, labels] = await Promise.all([readIdx(options.testImages), readIdx(options.testLabels)]);
    test = idxImageSet(images, labels, classNames);
    if (test.shape.join('x') !== train.shape.join('x')) {
      throw new FrugalInputError(
        `IDX test images "${options.testImages}" are ${test.shape.join('×')}, training images "${options.trainImages}" are ${train.shape.join('×')}; they must match`,
      );
    }
  }
  return {
    name: options.name ?? 'idx',
    train,
    ...(test ? { test } : {}),
    classNames,
    normalization: options.normalization ?? channelStats(train),
  };
}

/** MNIST from IDX files (60,000 + 10,000 digits): local copy, cache or download. */
export async function loadMnistIdx(options: IdxDatasetOptions = {}): Promise<DatasetSource> {
  return loadIdxDataset(MNIST, options);
}

/** Fashion-MNIST: Debian's dataset-fashion-mnist when installed, else the cache, else download. */
export async function loadFashionMnist(options: IdxDatasetOptions = {}): Promise<DatasetSource> {
  return loadIdxDataset(FASHION_MNIST, options);
}
