import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { pseudoLabelLines, readPseudoLabelFile } from './pseudo-label-file.js';

const CLASSES = ['cat', 'dog', 'fox'];
const dir = mkdtempSync(join(tmpdir(), 'frugal-pseudo-labels-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('pseudoLabelLines', () => {
  it('one JSON line per image: the top class by name and index, its probability and the float32 softmax', () => {
    const probabilities = Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.25, 0.25]);
    const text = pseudoLabelLines(['a.png', 'b/c.png'], probabilities, CLASSES);
    const lines = text.split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[0]!)).toEqual({ file: 'a.png', class: 'dog', label: 1, confidence: Math.fround(0.7), probabilities: Array.from(probabilities.subarray(0, 3)) });
    expect(JSON.parse(lines[1]!)).toMatchObject({ file: 'b/c.png', class: 'cat', label: 0, confidence: 0.5 });
  });
});

describe('readPseudoLabelFile', () => {
  it('reads back the files in order and their float32 rows, bit for bit', async () => {
    const files = Array.from({ length: 2500 }, (_, i) => `shard-${i % 7}/image-${i}.png`);
    const probabilities = Float32Array.from({ length: files.length * 3 }, (_, i) => ((i * 7919) % 1000) / 2997);
    const read = await readPseudoLabelFile(file('many.jsonl', pseudoLabelLines(files, probabilities, CLASSES)), CLASSES);
    expect(read.files).toEqual(files);
    expect(read.probabilities).toEqual(probabilities);
  });

  it('reads a file without knowing the classes, taking their count from the first line', async () => {
    const read = await readPseudoLabelFile(file('two.jsonl', pseudoLabelLines(['a.png', 'b.png'], Float32Array.from([0.1, 0.9, 0.6, 0.4]), ['x', 'y'])));
    expect(read.files).toEqual(['a.png', 'b.png']);
    expect(read.probabilities).toEqual(Float32Array.from([0.1, 0.9, 0.6, 0.4]));
  });

  const good = pseudoLabelLines(['a.png'], Float32Array.from([0.1, 0.7, 0.2]), CLASSES);
  it.each([
    ['a missing file', undefined, /missing\.jsonl does not exist; give the pseudo-label file frugal label wrote \(--out\)$/],
    ['an empty file', '\n', /empty\.jsonl holds no pseudo-labels/],
    ['a line that is not JSON', `${good}{"file":\n`, /bad-json\.jsonl line 2 is not JSON; a pseudo-label file has one JSON object a line/],
    ['a line without probabilities', '{"file":"a.png","class":"dog","label":1}\n', /no-rows\.jsonl line 1: probabilities expected array, received undefined$/],
    ['a row of another class count', `${good}${pseudoLabelLines(['b.png'], Float32Array.from([0.5, 0.5]), ['cat', 'dog'])}`, /classes\.jsonl line 2: 2 probabilities, where this model has 3 classes$/],
    ['classes in another order', pseudoLabelLines(['a.png'], Float32Array.from([0.1, 0.7, 0.2]), ['dog', 'cat', 'fox']), /order\.jsonl line 1: class "cat" is label 1 there, and "dog" here; the file was written by a model with other classes \(this one's: cat, dog, fox\)$/],
    ['a path out of the folder', good.replace('a.png', '../secret.png'), /escape\.jsonl line 1: file "\.\.\/secret\.png" is not inside the labelled folder/],
    ['an absolute path', good.replace('a.png', '/etc/passwd'), /absolute\.jsonl line 1: file "\/etc\/passwd" is not inside the labelled folder/],
    ['an image labelled twice', `${good}${good}`, /twice\.jsonl line 2: file "a\.png" is labelled twice$/],
  ])('refuses %s, naming the file and the line', async (what, text, message) => {
    const name = `${String(message).match(/([a-z-]+)\\?\.jsonl/)?.[1]}.jsonl`;
    const path = text === undefined ? join(dir, name) : file(name, text);
    await expect(readPseudoLabelFile(path, CLASSES), what).rejects.toThrow(message);
  });

  it('refuses a folder given as the file', async () => {
    await expect(readPseudoLabelFile(dir, CLASSES)).rejects.toThrow(`${dir} is not a file`);
  });
});
