import fc from 'fast-check';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fuzzParameters, resultOrInputError } from '@frugal/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { idxBytes } from '../testing/idx-bytes.js';
import { idxImageSet } from './idx-image-set.js';
import { parseIdx, readIdx } from './read-idx.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, remove: cleanup } = await tempDir('idx-fuzz')));
afterAll(() => cleanup());

const typeCode = fc.constantFrom(0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x00, 0x07, 0xff);
const dims = fc.array(fc.oneof(fc.nat(6), fc.constantFrom(0, 2 ** 16, 2 ** 31, 2 ** 32 - 1)), { minLength: 0, maxLength: 5 });

/** A header (possibly lying) over a payload of random length. */
const idxLike = fc.tuple(typeCode, dims, fc.uint8Array({ maxLength: 400 })).map(([code, d, payload]) => {
  const header = Buffer.alloc(4 + 4 * d.length);
  header[2] = code;
  header[3] = d.length;
  d.forEach((v, i) => header.writeUInt32BE(v, 4 + 4 * i));
  return new Uint8Array(Buffer.concat([header, payload]));
});

/** Parses, and when both parse, builds an image set as the dataset loader does. */
async function imageSetOf(images: Uint8Array, labels: Uint8Array): Promise<void> {
  await resultOrInputError(() => idxImageSet(parseIdx(images, 'images.idx'), parseIdx(labels, 'labels.idx'), ['0', '1', '2']));
}

describe('IDX reader (fuzz): any bytes give an array or a FrugalInputError', () => {
  it('arbitrary bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), async (b) => void (await resultOrInputError(() => parseIdx(b, 'x.idx')))), fuzzParameters(2000));
  });

  it('headers with hostile dimensions and types over random payloads, paired as images and labels', async () => {
    await fc.assert(fc.asyncProperty(idxLike, idxLike, imageSetOf), fuzzParameters(2000));
  });

  it('consistent files of any shape, paired', async () => {
    const consistent = fc.tuple(fc.array(fc.nat(5), { minLength: 1, maxLength: 4 }), fc.nat(255)).map(([d, v]) =>
      new Uint8Array(idxBytes(0x08, d, new Array(d.reduce((a, b) => a * b, 1)).fill(v % 3))),
    );
    await fc.assert(fc.asyncProperty(consistent, consistent, imageSetOf), fuzzParameters(1000));
  });

  it('gzip streams, whole, cut or corrupted, and ones that decompress past the limit', async () => {
    await fc.assert(
      fc.asyncProperty(idxLike, fc.nat(40), fc.nat(255), async (bytes, cut, flip) => {
        const gz = gzipSync(bytes);
        const damaged = gz.subarray(0, Math.max(2, gz.length - cut));
        if (flip % 2 && damaged.length > 12) damaged[10] ^= flip;
        const file = path.join(dir, 'f.idx.gz');
        await writeFile(file, damaged);
        await resultOrInputError(() => readIdx(file, { maxBytes: 256 }));
      }),
      fuzzParameters(300),
    );
  });

  it('refuses a decompression bomb with a clear error', async () => {
    const file = path.join(dir, 'bomb.idx.gz');
    await writeFile(file, gzipSync(new Uint8Array(4096)));
    await expect(readIdx(file, { maxBytes: 1024 })).rejects.toThrow(/decompresses to more than 1024 bytes/);
  });
});
