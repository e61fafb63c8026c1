import { getFloat16, setFloat16 } from '@petamoriken/float16';

let f16Table: Float32Array | undefined;

/** Every IEEE 754 half-precision bit pattern as a float32 (256 KiB, built once). */
function float16Table(): Float32Array {
  if (!f16Table) {
    const table = new Float32Array(65536);
    const view = new DataView(new ArrayBuffer(2));
    for (let bits = 0; bits < 65536; bits++) {
      view.setUint16(0, bits, true);
      table[bits] = getFloat16(view, 0, true);
    }
    f16Table = table;
  }
  return f16Table;
}

/** Little-endian float16 bytes to float32 values. */
export function decodeFloat16(bytes: Uint8Array): Float32Array {
  const n = bytes.length >>> 1;
  const table = float16Table();
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = table[(bytes[2 * i] as number) | ((bytes[2 * i + 1] as number) << 8)] as number;
  return out;
}

/** Little-endian bfloat16 bytes (the upper half of a float32) to float32 values. */
export function decodeBFloat16(bytes: Uint8Array): Float32Array {
  const n = bytes.length >>> 1;
  const bits = new Uint32Array(n);
  for (let i = 0; i < n; i++) bits[i] = (((bytes[2 * i] as number) | ((bytes[2 * i + 1] as number) << 8)) << 16) >>> 0;
  return new Float32Array(bits.buffer);
}

/** Float32 values to little-endian float16 bytes (round to nearest even). */
export function encodeFloat16(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) setFloat16(view, 2 * i, values[i] as number, true);
  return out;
}

/** Float32 values to little-endian bfloat16 bytes (round to nearest even). */
export function encodeBFloat16(values: ArrayLike<number>): Uint8Array {
  const f32 = Float32Array.from(values);
  const bits = new Uint32Array(f32.buffer);
  const out = new Uint8Array(values.length * 2);
  for (let i = 0; i < bits.length; i++) {
    const b = bits[i] as number;
    const isNaN = (b & 0x7fffffff) > 0x7f800000;
    const rounded = isNaN ? (b | 0x00400000) >>> 16 : (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
    out[2 * i] = rounded & 0xff;
    out[2 * i + 1] = (rounded >>> 8) & 0xff;
  }
  return out;
}
