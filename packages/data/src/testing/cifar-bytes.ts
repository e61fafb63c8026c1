import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CifarDatasetDescriptor } from '../cifar/cifar-datasets.js';

/** The value a test record holds for image `i`'s channel `c` at pixel `p` (0..1023): every image, channel and pixel told apart. */
export const cifarValue = (i: number, c: number, p: number): number => (i * 37 + c * 101 + p * 7) % 256;

/**
 * `count` records in a CIFAR binary layout: label bytes (the class is `first + i` modulo the
 * classes, the other label bytes 99), then the red, green and blue planes of `cifarValue`.
 */
export function cifarRecords(count: number, layout: { labelBytes: number; labelByte: number }, classes: number, first = 0): Buffer {
  const record = layout.labelBytes + 3072;
  const out = Buffer.alloc(count * record);
  for (let i = 0; i < count; i++) {
    const at = i * record;
    for (let b = 0; b < layout.labelBytes; b++) out[at + b] = b === layout.labelByte ? (first + i) % classes : 99;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) out[at + layout.labelBytes + c * 1024 + p] = cifarValue(first + i, c, p);
  }
  return out;
}

/** The dataset's batch folder under `dir`, `perFile` records in each batch file, numbered on across the files; and its names file. */
export async function writeCifarFolder(dir: string, descriptor: CifarDatasetDescriptor, perFile: number): Promise<string> {
  const folder = path.join(dir, descriptor.folder);
  await mkdir(folder, { recursive: true });
  let first = 0;
  for (const name of [...descriptor.trainFiles, ...descriptor.testFiles]) {
    await writeFile(path.join(folder, name), cifarRecords(perFile, descriptor, descriptor.classNames.length, first));
    first += perFile;
  }
  await writeFile(path.join(folder, descriptor.namesFile), `${descriptor.classNames.join('\n')}\n\n`);
  return folder;
}
