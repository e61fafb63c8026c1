import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInputError } from '@frugal/core';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeBFloat16, decodeFloat16, encodeBFloat16, encodeFloat16 } from './float16.js';
import { encodeSafetensors, MAX_HEADER_BYTES, SafetensorsFile } from './safetensors.js';

const f32 = (values: number[]) => new Uint8Array(Float32Array.from(values).buffer);

/** A file from a raw header object and data bytes. */
function rawFile(header: unknown, data = new Uint8Array(0), headerLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength ?? json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function parseError(bytes: Uint8Array): string {
  try {
    SafetensorsFile.fromBytes(bytes, 'w.safetensors');
  } catch (error) {
    expect(isInputError(error)).toBe(true);
    return (error as Error).message;
  }
  throw new Error('expected a parse error');
}

describe('float16 and bfloat16', () => {
  it('decode exact values, subnormals, infinities and NaN', () => {
    const values = [0, 1, -2, 0.5, 65504, 2 ** -24, -Infinity, Infinity];
    expect(Array.from(decodeFloat16(encodeFloat16(values)))).toEqual(values);
    expect(decodeFloat16(encodeFloat16([NaN]))[0]).toBeNaN();
    expect(Array.from(decodeBFloat16(encodeBFloat16([1, -3, 2 ** 100, 0.15625])))).toEqual([1, -3, 2 ** 100, 0.15625]);
  });

  it('round to the nearest representable value', () => {
    expect(decodeFloat16(encodeFloat16([0.1]))[0]).toBeCloseTo(0.0999755859375, 12);
    expect(decodeBFloat16(encodeBFloat16([0.1]))[0]).toBeCloseTo(0.10009765625, 12);
  });
});

describe('SafetensorsFile', () => {
  const file = encodeSafetensors(
    {
      'a.weight': { dtype: 'F32', shape: [2, 2], bytes: f32([1, 2, 3, 4]) },
      'b.weight': { dtype: 'F16', shape: [3], bytes: encodeFloat16([0.5, -1, 8]) },
      'c.weight': { dtype: 'BF16', shape: [2], bytes: encodeBFloat16([3, -0.25]) },
      'bn.num_batches_tracked': { dtype: 'I64', shape: [], bytes: new Uint8Array(8) },
    },
    { format: 'pt' },
  );

  it('reads F32, F16 and BF16 tensors as float32, with names, shapes and metadata', () => {
    const st = SafetensorsFile.fromBytes(file);
    expect(st.names()).toEqual(['a.weight', 'b.weight', 'c.weight', 'bn.num_batches_tracked']);
    expect(st.metadata).toEqual({ format: 'pt' });
    expect(st.read('a.weight')).toEqual({ shape: [2, 2], data: Float32Array.from([1, 2, 3, 4]) });
    expect(Array.from(st.read('b.weight').data)).toEqual([0.5, -1, 8]);
    expect(Array.from(st.read('c.weight').data)).toEqual([3, -0.25]);
    expect(st.info('bn.num_batches_tracked')).toMatchObject({ dtype: 'I64', shape: [] });
  });

  it('refuses to read an integer tensor as weights, and names a tensor it lacks', () => {
    const st = SafetensorsFile.fromBytes(file, 'w.safetensors');
    expect(() => st.read('bn.num_batches_tracked')).toThrow(
      'Tensor "bn.num_batches_tracked" in "w.safetensors" has dtype I64; only F32, F16, BF16, F64 tensors can be read as weights.',
    );
    expect(() => st.read('nope')).toThrow('Safetensors file "w.safetensors" has no tensor "nope"');
  });

  const dir = mkdtempSync(join(tmpdir(), 'safetensors-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads files from disk and says when one is missing', () => {
    const path = join(dir, 'w.safetensors');
    writeFileSync(path, file);
    expect(Array.from(SafetensorsFile.read(path).read('a.weight').data)).toEqual([1, 2, 3, 4]);
    expect(() => SafetensorsFile.read(join(dir, 'absent.safetensors'))).toThrow(/absent\.safetensors" does not exist; check the path/);
  });

  describe('damaged files', () => {
    const ok = { 'x.weight': { dtype: 'F32', shape: [2], data_offsets: [0, 8] } };
    it.each<[string, Uint8Array, string]>([
      ['too short', new Uint8Array(5), 'it has 5 bytes, fewer than the 8-byte header length'],
      ['header length over the limit', rawFile(ok, f32([1, 2]), MAX_HEADER_BYTES + 1), `the header length ${MAX_HEADER_BYTES + 1} exceeds the limit`],
      ['header length past the end', rawFile(ok, f32([1, 2]), 4000), 'the header length 4000 exceeds the file size'],
      ['header not JSON', rawFile('{"x.weight": ', new Uint8Array(0)), 'the header is not valid JSON'],
      ['header not an object', rawFile('[1, 2]'), 'the header does not start with "{"'],
      ['unknown dtype', rawFile({ x: { dtype: 'F12', shape: [1], data_offsets: [0, 2] } }, new Uint8Array(2)), 'tensor "x" has unknown dtype "F12"'],
      ['bad shape', rawFile({ x: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, new Uint8Array(4)), 'tensor "x" has an invalid shape [-1]'],
      ['bad offsets', rawFile({ x: { dtype: 'F32', shape: [1], data_offsets: [0] } }, new Uint8Array(4)), 'tensor "x" has invalid data_offsets [0]'],
      [
        'offsets past the data (truncated)',
        rawFile(ok, f32([1])),
        'tensor "x.weight" has data_offsets [0, 8] outside the data section of 4 bytes (truncated file?)',
      ],
      ['offsets reversed', rawFile({ x: { dtype: 'F32', shape: [0], data_offsets: [4, 0] } }, f32([1])), 'data_offsets [4, 0] outside'],
      [
        'size differs from the shape',
        rawFile({ x: { dtype: 'F16', shape: [3], data_offsets: [0, 8] } }, f32([1, 2])),
        'tensor "x" has 8 bytes of data but shape [3] of F16 needs 6',
      ],
      [
        'overlapping tensors',
        rawFile(
          { a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [2], data_offsets: [4, 12] } },
          f32([1, 2, 3]),
        ),
        'tensors "a" [0, 8] and "b" [4, 12] overlap',
      ],
    ])('%s', (_what, bytes, message) => {
      const error = parseError(bytes);
      expect(error).toContain('Safetensors file "w.safetensors" is damaged or not a safetensors file: ');
      expect(error).toContain(message);
      expect(error).toContain('Re-download it or export it again');
    });
  });
});
