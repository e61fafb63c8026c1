import { readFileSync, statSync } from 'node:fs';
import { endianness } from 'node:os';
import { FrugalInputError } from '@frugal/core';
import { decodeBFloat16, decodeFloat16 } from './float16.js';

/**
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * (`{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {...} }`), then the raw
 * little-endian tensor data, offsets counted from the end of the header.
 */

/** Headers larger than this are refused (as in the reference implementation). */
export const MAX_HEADER_BYTES = 100_000_000;

const DTYPE_BYTES = {
  F64: 8,
  F32: 4,
  F16: 2,
  BF16: 2,
  I64: 8,
  I32: 4,
  I16: 2,
  I8: 1,
  U64: 8,
  U32: 4,
  U16: 2,
  U8: 1,
  BOOL: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
} as const;

export type SafetensorsDtype = keyof typeof DTYPE_BYTES;
/** The dtypes read as float32 weights. */
export const FLOAT_DTYPES: readonly SafetensorsDtype[] = ['F32', 'F16', 'BF16', 'F64'];

export interface TensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Byte offsets into the data section (after the header). */
  readonly begin: number;
  readonly end: number;
}

export interface FloatTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.hasOwn(DTYPE_BYTES, value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function damaged(origin: string, what: string): FrugalInputError {
  return new FrugalInputError(
    `Safetensors file "${origin}" is damaged or not a safetensors file: ${what}. ` +
      `Re-download it or export it again (e.g. with tools/fixtures/torchvision_fixtures.py --from-pth).`,
  );
}

/** Parses and checks the header against the data section's length; returns the tensors by name. */
function parseHeader(
  headerBytes: Uint8Array,
  dataLength: number,
  origin: string,
): { tensors: Map<string, TensorInfo>; metadata: Record<string, string> } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(headerBytes);
  } catch {
    throw damaged(origin, 'the header is not valid UTF-8');
  }
  if (!text.startsWith('{')) throw damaged(origin, `the header does not start with "{" (starts with ${JSON.stringify(text.slice(0, 16))})`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw damaged(origin, `the header is not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw damaged(origin, 'the header is not a JSON object');

  const tensors = new Map<string, TensorInfo>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(json as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw damaged(origin, '__metadata__ is not an object');
      const nonString = Object.entries(entry as Record<string, unknown>).find(([, v]) => typeof v !== 'string');
      if (nonString) throw damaged(origin, `__metadata__ "${nonString[0]}" is not a string (safetensors metadata maps strings to strings)`);
      metadata = entry as Record<string, string>;
      continue;
    }
    if (typeof entry !== 'object' || entry === null) throw damaged(origin, `tensor "${name}" has no description`);
    const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
    if (!isDtype(dtype)) {
      throw damaged(origin, `tensor "${name}" has unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_BYTES).join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every(isCount)) {
      throw damaged(origin, `tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    }
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount)) {
      throw damaged(origin, `tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (begin > end || end > dataLength) {
      throw damaged(
        origin,
        `tensor "${name}" has data_offsets [${begin}, ${end}] outside the data section of ${dataLength} bytes (truncated file?)`,
      );
    }
    const needed = (shape as number[]).reduce((a, b) => a * b, 1) * DTYPE_BYTES[dtype];
    if (end - begin !== needed) {
      throw damaged(
        origin,
        `tensor "${name}" has ${end - begin} bytes of data but shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${needed}`,
      );
    }
    tensors.set(name, { name, dtype, shape: shape as number[], begin, end });
  }

  const byOffset = [...tensors.values()].filter((t) => t.end > t.begin).sort((a, b) => a.begin - b.begin);
  for (let i = 1; i < byOffset.length; i++) {
    const prev = byOffset[i - 1] as TensorInfo;
    const cur = byOffset[i] as TensorInfo;
    if (cur.begin < prev.end) {
      throw damaged(
        origin,
        `tensors "${prev.name}" [${prev.begin}, ${prev.end}] and "${cur.name}" [${cur.begin}, ${cur.end}] overlap`,
      );
    }
  }
  return { tensors, metadata };
}

/** A parsed safetensors file held in memory. */
export class SafetensorsFile {
  private constructor(
    /** The file's path (or a label for in-memory data), used in every error message. */
    readonly origin: string,
    private readonly data: Uint8Array,
    private readonly tensors: Map<string, TensorInfo>,
    readonly metadata: Readonly<Record<string, string>>,
  ) {}

  /** Parses safetensors bytes, checking the header's bounds before trusting any of it. */
  static fromBytes(bytes: Uint8Array, origin = '(in memory)'): SafetensorsFile {
    if (endianness() !== 'LE') throw new Error('Reading safetensors needs a little-endian machine');
    if (bytes.length < 8) throw damaged(origin, `it has ${bytes.length} bytes, fewer than the 8-byte header length`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const headerLength = view.getBigUint64(0, true);
    if (headerLength > BigInt(MAX_HEADER_BYTES)) {
      throw damaged(origin, `the header length ${headerLength} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
    }
    const n = Number(headerLength);
    if (8 + n > bytes.length) throw damaged(origin, `the header length ${n} exceeds the file size (${bytes.length} bytes)`);
    const { tensors, metadata } = parseHeader(bytes.subarray(8, 8 + n), bytes.length - 8 - n, origin);
    return new SafetensorsFile(origin, bytes.subarray(8 + n), tensors, metadata);
  }

  /** Reads and parses a safetensors file. */
  static read(path: string): SafetensorsFile {
    let size: number;
    try {
      size = statSync(path).size;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new FrugalInputError(
        code === 'ENOENT'
          ? `Weights file "${path}" does not exist; check the path (it is relative to the working directory).`
          : `Weights file "${path}" cannot be read (${(error as Error).message}).`,
        { cause: error },
      );
    }
    if (size < 8) throw damaged(path, `it has ${size} bytes, fewer than the 8-byte header length`);
    return SafetensorsFile.fromBytes(new Uint8Array(readFileSync(path)), path);
  }

  names(): string[] {
    return [...this.tensors.keys()];
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  info(name: string): TensorInfo {
    const info = this.tensors.get(name);
    if (!info) throw new FrugalInputError(`Safetensors file "${this.origin}" has no tensor "${name}"`);
    return info;
  }

  /** The raw little-endian bytes of a tensor (a view, not a copy). */
  bytes(name: string): Uint8Array {
    const { begin, end } = this.info(name);
    return this.data.subarray(begin, end);
  }

  /** A floating-point tensor (F32, F16, BF16 or F64) as float32 values. */
  read(name: string): FloatTensor {
    const info = this.info(name);
    const raw = this.bytes(name);
    let data: Float32Array;
    switch (info.dtype) {
      case 'F32':
        data = new Float32Array(raw.slice().buffer);
        break;
      case 'F16':
        data = decodeFloat16(raw);
        break;
      case 'BF16':
        data = decodeBFloat16(raw);
        break;
      case 'F64':
        data = Float32Array.from(new Float64Array(raw.slice().buffer));
        break;
      default:
        throw new FrugalInputError(
          `Tensor "${name}" in "${this.origin}" has dtype ${info.dtype}; only ${FLOAT_DTYPES.join(', ')} tensors can be read as weights.`,
        );
    }
    return { shape: info.shape, data };
  }
}

export interface TensorToWrite {
  dtype: 'F32' | 'F16' | 'BF16' | 'I64';
  shape: readonly number[];
  /** The raw little-endian bytes in `dtype`. */
  bytes: Uint8Array;
}

/** Encodes tensors (already in their dtype's bytes) as a safetensors file. */
export function encodeSafetensors(tensors: Record<string, TensorToWrite>, metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = {};
  if (metadata) header['__metadata__'] = metadata;
  let offset = 0;
  for (const [name, t] of Object.entries(tensors)) {
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + t.bytes.length] };
    offset += t.bytes.length;
  }
  const json = JSON.stringify(header);
  const unpadded = new TextEncoder().encode(json).length;
  // Pad with spaces so that the data section starts 8-byte aligned.
  const headerBytes = new TextEncoder().encode(json + ' '.repeat((8 - (unpadded % 8)) % 8));
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of Object.values(tensors)) {
    out.set(t.bytes, at);
    at += t.bytes.length;
  }
  return out;
}
