import { createFrugal, FOLDER_LABELLER, pseudoLabelLines, readPseudoLabelFile } from '@frugal/core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { distributed } from './plugin.js';
import { queueLabeller } from './queue-labeller.js';

describe('distributed()', () => {
  it('provides the folder labeller under its token (the README example)', () => {
    const frugal = createFrugal({ plugins: [distributed()] });
    expect(frugal.plugins.map((p) => p.name)).toContain('@frugal/distributed');
    expect(frugal.resolve(FOLDER_LABELLER)).toBe(queueLabeller);
    expect(() => createFrugal().resolve(FOLDER_LABELLER)).toThrow();
  });

  it('reads a pseudo-label file back: the files in order and their float32 softmax rows', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'frugal-labels-'));
    try {
      const probabilities = Float32Array.from([0.1, 0.7, 0.2, 0.5, 0.25, 0.25]);
      await writeFile(join(dir, 'labels.jsonl'), pseudoLabelLines(['a.png', 'b/c.png'], probabilities, ['cat', 'dog', 'fox']));
      const read = await readPseudoLabelFile(join(dir, 'labels.jsonl'));
      expect(read.files).toEqual(['a.png', 'b/c.png']);
      expect(read.probabilities).toEqual(probabilities);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
