import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { FrugalInputError, readUserFile } from '@frugal/core';

const gunzipAsync = promisify(gunzip);

/** The element types of the IDX format, by type code. */
const TYPES = {
  0x08: { name: 'ubyte', bytes: 1 },
  0x09: { name: 'sbyte', bytes: 1 },
  0x0b: { name: 'int16', bytes: 2 },
  0x0c: { name: 'int32', bytes: 4 },
  0x0d: { name: 'float32', bytes: 4 },
  0x0e: { name: 'float64', bytes: 8 },
} as const;

export type IdxType = (typeof TYPES)[keyof typeof TYPES]['name'];
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An IDX array: its element type, its dimensions and its values (row-major). */
export interface IdxArray {
  readonly file: string;
  readonly type: IdxType;
  readonly dims: readonly number[];
  readonly data: IdxData;
}

function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

/** Parses IDX bytes (already decompressed); `file` names the source in errors. */
export function parseIdx(bytes: Uint8Array, file: string): IdxArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 4) {
    throw new FrugalInputError(`IDX file "${file}" is ${bytes.byteLength} bytes long, too short for a header; the file is truncated — fetch it again`);
  }
  const magic = view.getUint32(0);
  const typeCode = bytes[2] as number;
  const ndims = bytes[3] as number;
  const type = TYPES[typeCode as keyof typeof TYPES];
  if (bytes[0] !== 0 || bytes[1] !== 0 || !type || ndims === 0) {
    throw new FrugalInputError(
      `IDX file "${file}" has magic number ${hex(magic)}; an IDX file starts with two zero bytes, a type code ` +
        `(0x08 for unsigned bytes) and the number of dimensions (0x00000803 for images, 0x00000801 for labels). ` +
        `Check that it is an IDX file (e.g. train-images-idx3-ubyte) and not some other file`,
    );
  }
  const header = 4 + 4 * ndims;
  if (bytes.byteLength < header) {
    throw new FrugalInputError(`IDX file "${file}" ends inside its header (${bytes.byteLength} of ${header} bytes); the file is truncated — fetch it again`);
  }
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = count * type.bytes;
  const actual = bytes.byteLength - header;
  if (actual !== expected) {
    throw new FrugalInputError(
      `IDX file "${file}" has ${actual} bytes of data, but its header (${dims.join('×')} ${type.name}) says ${expected}; ` +
        `the file is ${actual < expected ? 'truncated' : 'longer than its header says'} — fetch it again`,
    );
  }
  let data: IdxData;
  const start = bytes.byteOffset + header;
  switch (type.name) {
    case 'ubyte':
      data = new Uint8Array(bytes.buffer, start, count);
      break;
    case 'sbyte':
      data = new Int8Array(bytes.buffer, start, count);
      break;
    default: {
      const out = type.name === 'int16' ? new Int16Array(count) : type.name === 'int32' ? new Int32Array(count) : type.name === 'float32' ? new Float32Array(count) : new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const at = header + i * type.bytes;
        out[i] =
          type.name === 'int16' ? view.getInt16(at) : type.name === 'int32' ? view.getInt32(at) : type.name === 'float32' ? view.getFloat32(at) : view.getFloat64(at);
      }
      data = out;
    }
  }
  return { file, type: type.name, dims, data };
}

/** Whether bytes start like a gzip stream. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Largest decompressed IDX file read (the MNIST family's largest, EMNIST's, is under 800 MB). */
export const MAX_IDX_BYTES = 2 ** 30;

/** The bytes of an IDX file, decompressed when it is gzip-compressed (told apart by content, not by name). */
export async function readIdxBytes(file: string, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
  const maxBytes = options.maxBytes ?? MAX_IDX_BYTES;
  const raw = await readUserFile(file, { label: `IDX file "${file}"`, maxBytes, hint: 'give an IDX file (e.g. train-images-idx3-ubyte, or its .gz)' });
  if (!isGzip(raw)) return raw;
  return gunzipAsync(raw, { maxOutputLength: maxBytes }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new FrugalInputError(`IDX file "${file}" decompresses to more than ${maxBytes} bytes; it is not an IDX dataset file (or a decompression bomb)`);
    }
    throw new FrugalInputError(`IDX file "${file}" is not a valid gzip stream (${error.message}); the file is damaged or truncated — fetch it again`, {
      cause: error,
    });
  });
}

/** Reads an IDX file, raw or gzip-compressed. */
export async function readIdx(file: string, options: { maxBytes?: number } = {}): Promise<IdxArray> {
  return parseIdx(await readIdxBytes(file, options), file);
}
