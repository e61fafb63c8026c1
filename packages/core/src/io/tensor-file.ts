import * as tf from '@tensorflow/tfjs-core';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

interface TensorEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  offset: number;
  length: number;
}

/** Writes named tensors to `<dir>/<base>.bin` + `<base>.json` (float32/int32, little-endian). */
export async function writeTensors(dir: string, base: string, tensors: Record<string, tf.Tensor>): Promise<void> {
  const entries: TensorEntry[] = [];
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of Object.entries(tensors)) {
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const values = dtype === 'int32' ? new Int32Array(tensor.dataSync()) : new Float32Array(tensor.dataSync());
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    entries.push({ name, shape: tensor.shape, dtype, offset, length: bytes.byteLength });
    chunks.push(bytes);
    offset += bytes.byteLength;
  }
  const data = new Uint8Array(offset);
  let at = 0;
  for (const chunk of chunks) {
    data.set(chunk, at);
    at += chunk.byteLength;
  }
  await writeFile(join(dir, `${base}.bin`), data);
  await writeFile(join(dir, `${base}.json`), JSON.stringify(entries));
}

/** Reads what `writeTensors` wrote; the caller owns (and disposes) the tensors. */
export async function readTensors(dir: string, base: string): Promise<Record<string, tf.Tensor>> {
  const entries = JSON.parse(await readFile(join(dir, `${base}.json`), 'utf8')) as TensorEntry[];
  const bytes = await readFile(join(dir, `${base}.bin`));
  if (!Array.isArray(entries)) throw new Error(`${join(dir, `${base}.json`)} is not a list of tensors`);
  for (const e of entries) {
    const count = Array.isArray(e?.shape) ? e.shape.reduce((a, b) => a * b, 1) : NaN;
    if (!Number.isSafeInteger(e?.offset) || e.offset < 0 || e.length !== count * 4 || (e.dtype !== 'float32' && e.dtype !== 'int32')) {
      throw new Error(`${join(dir, `${base}.json`)} describes tensor ${JSON.stringify(e?.name)} inconsistently (shape, dtype, offset or length)`);
    }
    if (e.offset + e.length > bytes.byteLength) {
      throw new Error(`${join(dir, `${base}.bin`)} is truncated: tensor "${e.name}" ends at byte ${e.offset + e.length} of ${bytes.byteLength}`);
    }
  }
  const out: Record<string, tf.Tensor> = {};
  for (const e of entries) {
    const slice = bytes.buffer.slice(bytes.byteOffset + e.offset, bytes.byteOffset + e.offset + e.length);
    const values = e.dtype === 'int32' ? new Int32Array(slice) : new Float32Array(slice);
    out[e.name] = tf.tensor(values, e.shape, e.dtype);
  }
  return out;
}
