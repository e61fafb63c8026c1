import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { transferDigits } from './transfer.js';

const dir = mkdtempSync(join(tmpdir(), 'frugal-docs-transfer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('transfer example', () => {
  it('reuses a network trained on digits 0-4 for digits 5-9, frozen and fine-tuned', async () => {
    const result = await transferDigits(dir, { sourcePerClass: 50, targetPerClass: 10, testPerClass: 20, epochs: 8 });
    // Five classes: chance is 0.2.
    expect(result.linearProbe).toBeGreaterThan(0.3);
    expect(result.fineTune).toBeGreaterThan(0.3);
  });
});
