import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { type DatasetSource, FrugalInputError, makeDir } from '@frugal/core';
import * as tar from 'tar';
import { datasetCacheDir, mirrorUrls, type DatasetDownloadOptions } from '../download/dataset-download.js';
import { downloadFile } from '../download/download-file.js';
import { channelStats } from '../stats/channel-stats.js';
import type { CifarDatasetDescriptor } from './cifar-datasets.js';
import { cifarImageSet, type CifarBatch } from './read-cifar.js';

export interface CifarDatasetOptions extends DatasetDownloadOptions {
  /** The folder holding the batch files (or the folder the archive was unpacked in); when given, they must be there. */
  dir?: string;
}

const isFile = async (file: string): Promise<boolean> => (await stat(file).catch(() => undefined))?.isFile() ?? false;

/** Every batch file of the dataset, training then test. */
const batchFiles = (descriptor: CifarDatasetDescriptor): string[] => [...descriptor.trainFiles, ...descriptor.testFiles];

/** Whether `dir` holds every batch file of the dataset. */
async function holdsBatches(descriptor: CifarDatasetDescriptor, dir: string): Promise<boolean> {
  for (const name of batchFiles(descriptor)) if (!(await isFile(path.join(dir, name)))) return false;
  return true;
}

/** Downloads the archive into `cache` and unpacks its batch folder there, atomically: a folder that is there is whole. */
async function downloadAndUnpack(descriptor: CifarDatasetDescriptor, cache: string, options: CifarDatasetOptions): Promise<string> {
  const mirrors = options.mirrors ?? descriptor.mirrors;
  const archive = path.join(cache, descriptor.archive);
  await downloadFile({
    urls: mirrorUrls(mirrors, descriptor.archive),
    dest: archive,
    progress: options.progress,
    log: options.log,
    signal: options.signal,
  });
  const unpacking = path.join(cache, `.unpack-${process.pid}-${randomBytes(4).toString('hex')}`);
  try {
    await makeDir(unpacking);
    // tar keeps every entry inside `cwd` (no absolute paths, no ..), and gzip's checksum catches a damaged download.
    await tar.x({ file: archive, cwd: unpacking, strict: true, filter: (entry) => entry.replace(/^\.\//, '').startsWith(`${descriptor.folder}/`) });
    const unpacked = path.join(unpacking, descriptor.folder);
    if (!(await holdsBatches(descriptor, unpacked))) {
      throw new FrugalInputError(`${descriptor.name}: ${archive} has no ${descriptor.folder}/ with ${batchFiles(descriptor).join(', ')}; it is not the published archive`);
    }
    const target = path.join(cache, descriptor.folder);
    await rm(target, { recursive: true, force: true });
    await rename(unpacked, target);
    await rm(archive, { force: true });
    return target;
  } catch (error) {
    // A damaged archive is not kept: the next run downloads it again.
    await rm(archive, { force: true });
    if (error instanceof FrugalInputError) throw error;
    throw new FrugalInputError(`${descriptor.name}: could not unpack ${archive} (${(error as Error).message}); it was removed from the cache, try again`);
  } finally {
    await rm(unpacking, { recursive: true, force: true });
  }
}

/** The folder holding the batch files: `dir` (or its unpacked sub-folder), else the download cache, else a download. */
async function batchFolder(descriptor: CifarDatasetDescriptor, options: CifarDatasetOptions): Promise<string> {
  if (options.dir !== undefined) {
    for (const candidate of [options.dir, path.join(options.dir, descriptor.folder)]) if (await holdsBatches(descriptor, candidate)) return candidate;
    throw new FrugalInputError(
      `${descriptor.name}: "${options.dir}" does not hold ${batchFiles(descriptor).join(', ')} (nor does ${descriptor.folder}/ in it); ` +
        `unpack ${descriptor.archive} there, or leave dir out to use the download cache`,
    );
  }
  const cache = datasetCacheDir(descriptor.name, options.cacheDir);
  const cached = path.join(cache, descriptor.folder);
  if (await holdsBatches(descriptor, cached)) return cached;
  if (options.download === false) {
    throw new FrugalInputError(`${descriptor.name}: the batch files are not in ${cached} and downloads are off; allow download, or give dir: a folder holding them`);
  }
  return downloadAndUnpack(descriptor, cache, options);
}

/** The class names of the folder's names file (one a line), when it has one that names the right number of classes. */
async function classNamesIn(descriptor: CifarDatasetDescriptor, folder: string): Promise<readonly string[]> {
  const file = path.join(folder, descriptor.namesFile);
  if (!(await isFile(file))) return descriptor.classNames;
  const names = (await readFile(file, 'utf8')).split(/\r?\n/).map((line) => line.trim()).filter((line) => line.length > 0);
  if (names.length !== descriptor.classNames.length) {
    throw new FrugalInputError(`${descriptor.name}: "${file}" names ${names.length} classes, where ${descriptor.name} has ${descriptor.classNames.length}; replace it with an intact copy`);
  }
  return names;
}

/**
 * Loads a CIFAR dataset from its binary version: `dir`, else the download cache, else its mirrors
 * (the archive unpacked into the cache, then removed). Normalization is the training pixels' own.
 */
export async function loadCifarDataset(descriptor: CifarDatasetDescriptor, options: CifarDatasetOptions = {}): Promise<DatasetSource> {
  const folder = await batchFolder(descriptor, options);
  const classNames = await classNamesIn(descriptor, folder);
  const read = async (names: readonly string[]): Promise<CifarBatch[]> =>
    Promise.all(names.map(async (name) => ({ file: path.join(folder, name), bytes: await readFile(path.join(folder, name)) })));
  const train = cifarImageSet(await read(descriptor.trainFiles), descriptor, classNames);
  const test = cifarImageSet(await read(descriptor.testFiles), descriptor, classNames);
  return { name: descriptor.name, train, test, classNames, normalization: channelStats(train) };
}
