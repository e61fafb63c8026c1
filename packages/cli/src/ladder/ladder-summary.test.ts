import { describe, expect, it } from 'vitest';
import { ladderTable } from './ladder-report.js';
import { formatAccuracy, formatGain, spread, summarizeLadder } from './ladder-summary.js';
import type { RungRun } from './run-ladder.js';

const run = (rung: string, seed: number, accuracy: number, unlabelled = 0): RungRun => ({ rung, seed, dir: `seed-${seed}/${rung}`, accuracy, labels: 100, unlabelled, seconds: 10 + seed });

describe('a ladder summary', () => {
  it('gives each rung its mean ± sd, and its gain over the rung below seed by seed', () => {
    const rows = summarizeLadder([run('a', 0, 0.5), run('b', 0, 0.8, 900), run('a', 1, 0.6), run('b', 1, 0.7, 900)]);
    expect(rows.map((r) => r.rung)).toEqual(['a', 'b']);
    expect(rows[0]?.gain).toBeUndefined();
    expect(rows[0]?.accuracy.mean).toBeCloseTo(0.55, 12);
    expect(rows[0]?.accuracy.sd).toBeCloseTo(Math.sqrt(0.005), 12);
    // gains +0.3 and +0.1: mean 0.2, sd √0.02 (not the difference of the means' spreads)
    expect(rows[1]?.gain?.mean).toBeCloseTo(0.2, 12);
    expect(rows[1]?.gain?.sd).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(rows[1]?.seconds.mean).toBe(10.5);
    const table = ladderTable(rows);
    expect(table).toMatch(/^a\s+55\.0 ± 7\.1%\s+100\s+0\s+11 s$/m);
    expect(table).toMatch(/^b\s+75\.0 ± 7\.1%\s+\+20\.0 ± 14\.1\s+100\s+900\s+11 s$/m);
  });

  it('writes one seed without a spread, and a loss with a minus sign', () => {
    expect(formatAccuracy(spread([0.865]), 1)).toBe('86.5%');
    expect(formatGain(spread([-0.009]), 1)).toBe('−0.9');
    expect(formatGain(undefined, 1)).toBe('');
    expect(spread([0.5])).toEqual({ mean: 0.5, sd: 0 });
  });
});
