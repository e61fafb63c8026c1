import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { digitValues } from './digit-values.js';

describe('digitValues', () => {
  it('reads a digits file of the mnist package exactly as JSON.parse would', async () => {
    const file = createRequire(import.meta.url).resolve('mnist/src/digits/5.json');
    const text = await readFile(file, 'utf8');
    const values = (JSON.parse(text) as { data: number[] }).data;
    const expected = Uint8Array.from(values, (v) => Math.round(v * 255));
    expect(Buffer.from(digitValues(text)).equals(Buffer.from(expected))).toBe(true);
  });

  it('falls back to JSON.parse on anything but plain decimals', () => {
    expect(Array.from(digitValues('{ "data": [0, 0.2, 1] }'))).toEqual([0, 51, 255]);
    expect(Array.from(digitValues('{"data":[1e-1, 0.5]}'))).toEqual([26, 128]);
    expect(Array.from(digitValues('{"other": 1, "data":[0.5]}'))).toEqual([128]);
    expect(() => digitValues('{"data": 3}')).toThrow(/expected \{ "data": \[numbers\] \}/);
  });
});
