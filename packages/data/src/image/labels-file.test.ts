import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { readLabelsFile } from './labels-file.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, remove: cleanup } = await tempDir('labels-file')));
afterAll(() => cleanup());

async function file(name: string, text: string): Promise<string> {
  const at = path.join(dir, name);
  await writeFile(at, text);
  return at;
}

describe('readLabelsFile', () => {
  it('reads a CSV with a file,class header in any column order, quoted fields, a BOM, Windows line ends and other columns', async () => {
    const csv = await file('labels.csv', '\uFEFFid,Class,File\r\n1,cat,cats/001.jpg\r\n2,"dog, small",./dogs\\002.png\r\n\r\n3,cat,"a b/003.webp"\r\n');
    expect((await readLabelsFile(csv)).map(({ file, class: c, where }) => [file, c, where])).toEqual([
      ['cats/001.jpg', 'cat', `${csv} line 2`],
      ['dogs/002.png', 'dog, small', `${csv} line 3`],
      ['a b/003.webp', 'cat', `${csv} line 5`],
    ]);
  });

  it('reads several files as one, in order, and refuses an image named in two of them with both lines', async () => {
    const first = await file('first.csv', 'file,class\na.png,cat\n');
    const second = await file('second.csv', 'file,class,predicted,confidence\nb.png,dog,cat,0.412\n');
    expect((await readLabelsFile([first, second])).map((row) => [row.file, row.class, row.where])).toEqual([
      ['a.png', 'cat', `${first} line 2`],
      ['b.png', 'dog', `${second} line 2`],
    ]);
    const again = await file('again.jsonl', '{"file":"a.png","class":"cat"}\n');
    await expect(readLabelsFile([first, again])).rejects.toThrow(`${again} line 1: "a.png" is labelled twice (also at ${first} line 2)`);
  });

  it('reads JSON lines with file and class, as frugal label writes them', async () => {
    const jsonl = await file('labels.jsonl', '{"file":"u/1.png","class":"cat","label":0,"confidence":0.9,"probabilities":[0.9,0.1]}\n\n{"file":"u/2.png","class":"dog"}\n');
    expect((await readLabelsFile(jsonl)).map((row) => [row.file, row.class])).toEqual([['u/1.png', 'cat'], ['u/2.png', 'dog']]);
  });

  it.each([
    ['missing.csv', undefined, /Labels file ".*missing\.csv" does not exist; give a CSV \(file,class\) or JSON-lines file/],
    ['labels.txt', 'file,class\na.png,cat\n', /is neither \.csv nor \.jsonl/],
    ['no-header.csv', 'a.png,cat\nb.png,dog\n', /no-header\.csv has columns "a\.png", "cat"; a labels file needs a "file" and a "class" column/],
    ['empty.csv', 'file,class\n', /empty\.csv" names no images/],
    ['ragged.csv', 'file,class\na.png,cat,extra\n', /ragged\.csv is not valid CSV \(.*\); give a header line "file,class"/],
    ['no-class.csv', 'file,class\na.png,\n', /no-class\.csv line 2: "a\.png" has no class/],
    ['escape.csv', 'file,class\n../secret.png,cat\n', /escape\.csv line 2: file "\.\.\/secret\.png" is not inside the image folder/],
    ['absolute.jsonl', '{"file":"/etc/passwd","class":"cat"}\n', /absolute\.jsonl line 1: file "\/etc\/passwd" is not inside the image folder/],
    ['twice.csv', 'file,class\na.png,cat\n./a.png,dog\n', /twice\.csv line 3: "a\.png" is labelled twice \(also at .*twice\.csv line 2\)/],
    ['bad.jsonl', '{"file":"a.png","class":"cat"}\n{"file":\n', /bad\.jsonl line 2 is not JSON/],
    ['fields.jsonl', '{"path":"a.png","label":0}\n', /fields\.jsonl line 1 has no "file" and "class" strings/],
    ['null.jsonl', '{"file":"a.png","class":"cat"}\nnull\n', /null\.jsonl line 2 has no "file" and "class" strings/],
  ])('refuses %s, naming the file and the line', async (name, text, message) => {
    const at = text === undefined ? path.join(dir, name) : await file(name, text);
    await expect(readLabelsFile(at)).rejects.toThrow(message);
  });
});
