/** IDX bytes: the header (type code, dimensions, big-endian) and the values. */
export function idxBytes(typeCode: number, dims: readonly number[], values: ArrayLike<number>): Buffer {
  const size = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 }[typeCode] ?? 1;
  const header = 4 + 4 * dims.length;
  const out = Buffer.alloc(header + values.length * size);
  out[2] = typeCode;
  out[3] = dims.length;
  dims.forEach((d, i) => out.writeUInt32BE(d, 4 + 4 * i));
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    const at = header + i * size;
    if (typeCode === 0x08) out.writeUInt8(v, at);
    else if (typeCode === 0x09) out.writeInt8(v, at);
    else if (typeCode === 0x0b) out.writeInt16BE(v, at);
    else if (typeCode === 0x0c) out.writeInt32BE(v, at);
    else if (typeCode === 0x0d) out.writeFloatBE(v, at);
    else out.writeDoubleBE(v, at);
  }
  return out;
}

/** A tiny MNIST-like pair: `n` images of `rows × cols` whose pixels encode (image, position), labels i % classes. */
export function tinyIdxPair(n: number, rows: number, cols: number, classes: number): { images: Buffer; labels: Buffer } {
  const pixels = Array.from({ length: n * rows * cols }, (_, i) => (i * 7 + Math.floor(i / (rows * cols))) % 256);
  const labels = Array.from({ length: n }, (_, i) => i % classes);
  return { images: idxBytes(0x08, [n, rows, cols], pixels), labels: idxBytes(0x08, [n], labels) };
}
