// The README's example, run as written (keep the two in step).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@frugal/core';
import { stripes, tinyStagedNet, useCpu } from '@frugal/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suggestImages, suggestionCsv } from './index.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-active-readme-'));
const cwd = process.cwd();
beforeAll(async () => {
  await useCpu();
  process.chdir(root);
});
afterAll(() => {
  process.chdir(cwd);
  rmSync(root, { recursive: true, force: true });
});

describe('README example', () => {
  it('writes the 20 images to label next as a CSV to fill in', async () => {
    const model = tinyStagedNet(3, [8, 8, 1], new Rng(0));
    const normalization = { mean: [0.5], std: [0.25] };
    const labelled = stripes(6, 1);
    const unlabelled = { ...stripes(40, 2), origins: Array.from({ length: 40 }, (_, i) => `photos/${i}.png`) };

    const { suggestions, method } = await suggestImages({ model, normalization, labelled, unlabelled, count: 20, seed: 0 });
    await writeFile('to-label.csv', suggestionCsv(suggestions)); // method === 'typical'

    expect(method).toBe('typical');
    const lines = readFileSync(join(root, 'to-label.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe('file,class,predicted,confidence');
    expect(lines).toHaveLength(21);
    expect(lines.slice(1).every((line) => /^photos\/\d+\.png,,(first|second|third),[01]\.\d{3}$/.test(line))).toBe(true);
  });
});
