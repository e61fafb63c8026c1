import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { digitValues } from './digit-values.js';

const bytes = (text: string) => new TextEncoder().encode(text);
/** What JSON.parse gives for the file, rounded to bytes as the loader rounds them. */
const parsed = (text: string) => Uint8Array.from((JSON.parse(text) as { data: number[] }).data, (v) => Math.round(v * 255));

describe('digitValues', () => {
  it('reads a digits file of the mnist package exactly as JSON.parse would', async () => {
    const file = await readFile(createRequire(import.meta.url).resolve('mnist/src/digits/5.json'));
    expect(Buffer.from(digitValues(file)).equals(Buffer.from(parsed(file.toString('utf8'))))).toBe(true);
  });

  it('gives every value of up to three decimals the byte JSON.parse gives it, however many decimals it is written with', () => {
    const values: string[] = [];
    for (let m = 0; m <= 1000; m++) {
      const decimals = (m / 1000).toFixed(3);
      values.push(decimals, String(m / 1000), decimals.replace(/\.?0+$/, ''));
    }
    const text = `{"data": [${values.join(', ')}]}`;
    expect(Array.from(digitValues(bytes(text)))).toEqual(Array.from(parsed(text)));
  });

  it('falls back to JSON.parse on anything but plain decimals of up to three places', () => {
    expect(Array.from(digitValues(bytes('{ "data": [0, 0.2, 1] }')))).toEqual([0, 51, 255]);
    expect(Array.from(digitValues(bytes('{"data":[1e-1, 0.5]}')))).toEqual([26, 128]);
    expect(Array.from(digitValues(bytes('{"data":[0.0019, 0.5]}')))).toEqual([0, 128]);
    expect(Array.from(digitValues(bytes('{"data":[0.0021, 0.5]}')))).toEqual([1, 128]);
    expect(Array.from(digitValues(bytes('{"other": 1, "data":[0.5]}')))).toEqual([128]);
    expect(() => digitValues(bytes('{"data": 3}'))).toThrow(/expected \{ "data": \[numbers\] \}/);
  });
});
