import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHistory } from './run-report.js';

const dir = mkdtempSync(join(tmpdir(), 'frugal-history-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readHistory', () => {
  it('reads the epoch lines and leaves out a line cut short by a killed run', () => {
    writeFileSync(
      join(dir, 'metrics.jsonl'),
      ['{"kind":"epoch","step":3,"loss":1.5}', '{"kind":"step","step":4,"loss":9}', 'null', '{"kind":"epoch","step":6,"loss":0.9}', '{"kind":"epo'].join('\n'),
    );
    expect(readHistory(dir)).toEqual([
      { epoch: 1, loss: 1.5 },
      { epoch: 2, loss: 0.9 },
    ]);
  });
});
