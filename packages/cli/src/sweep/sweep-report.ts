import { join } from 'node:path';
import { writeFileAtomic } from '@frugal/core';
import { writeReport } from '../report/html-report.js';
import { spread, type Spread } from '../ladder/ladder-summary.js';
import { textTable } from '../table.js';

/** One finished run of a sweep. */
export interface SweepRun {
  readonly setting: string;
  readonly seed: number;
  /** Its run directory, relative to the sweep's. */
  readonly dir: string;
  readonly accuracy: number;
  readonly seconds: number;
}

export interface SweepRow {
  readonly setting: string;
  readonly seeds: number;
  readonly accuracy: Spread;
  readonly seconds: Spread;
}

/** Mean ± sd of test accuracy per setting, in the order the settings were given. */
export function summarizeSweep(runs: readonly SweepRun[]): SweepRow[] {
  const settings = [...new Set(runs.map((r) => r.setting))];
  return settings.map((setting) => {
    const mine = runs.filter((r) => r.setting === setting);
    return { setting, seeds: mine.length, accuracy: spread(mine.map((r) => r.accuracy)), seconds: spread(mine.map((r) => r.seconds)) };
  });
}

export function sweepTable(rows: readonly SweepRow[]): string {
  return textTable(
    ['setting', 'seeds', 'test accuracy (mean ± sd)', 'time per run'],
    rows.map((r) => [r.setting, r.seeds, `${(100 * r.accuracy.mean).toFixed(1)} ± ${(100 * r.accuracy.sd).toFixed(1)}%`, `${r.seconds.mean.toFixed(0)} s`]),
  );
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** Writes sweep.json and report.html into `root`; returns the table and the report's path. */
export async function writeSweepReport(
  root: string,
  input: { title: string; seeds: readonly number[]; runs: readonly SweepRun[]; facts: Record<string, string | number> },
): Promise<{ rows: SweepRow[]; table: string; report: string }> {
  const rows = summarizeSweep(input.runs);
  const table = sweepTable(rows);
  await writeFileAtomic(join(root, 'sweep.json'), `${JSON.stringify({ seeds: input.seeds, settings: rows, runs: input.runs }, null, 2)}\n`);
  const runList = input.runs
    .map((r) => `<li>${escape(r.setting)}, seed ${r.seed}: ${(100 * r.accuracy).toFixed(1)}% (<code>${escape(r.dir)}</code>)</li>`)
    .join('');
  const report = await writeReport(root, {
    title: input.title,
    history: [],
    classNames: [],
    facts: { seeds: input.seeds.join(', '), runs: input.runs.length, ...input.facts },
    sections: [
      { heading: 'Test accuracy per setting', html: `<pre>${escape(table)}</pre>` },
      { heading: 'Runs', html: `<ul>${runList}</ul>` },
    ],
  });
  return { rows, table, report };
}
