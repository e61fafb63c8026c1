import { join } from 'node:path';
import { writeFileAtomic } from '@frugal/core';
import { ladderSpec, renderSvg, svgToPng } from '../report/charts.js';
import { writeReport } from '../report/html-report.js';
import { textTable } from '../table.js';
import { formatAccuracy, formatGain, summarizeLadder, type RungSummary } from './ladder-summary.js';
import type { RungSpec } from './ladder-schema.js';
import type { RungRun } from './run-ladder.js';

export interface LadderReport {
  readonly rows: RungSummary[];
  readonly table: string;
  /** The report.html written. */
  readonly report: string;
}

/** The table of a ladder's rungs: accuracy, gain over the rung below, data used, time. */
export function ladderTable(rows: readonly RungSummary[]): string {
  return textTable(
    ['rung', 'test accuracy', 'gain (points)', 'labels used', 'unlabelled used', 'wall time'],
    rows.map((r) => [r.rung, formatAccuracy(r.accuracy, r.seeds), formatGain(r.gain, r.seeds), r.labels, r.unlabelled, `${r.seconds.mean.toFixed(0)} s`]),
  );
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
const runLabel = (r: RungRun, seeds: readonly number[]) => (seeds.length > 1 ? `${r.rung} (seed ${r.seed})` : r.rung);
const explainOf = (rungs: readonly RungSpec[], name: string) => {
  const explain = rungs.find((r) => r.name === name)?.explain;
  return explain ? ` — ${escape(explain)}` : '';
};

/** Writes ladder.json, ladder.svg and .png, and report.html into `root`. */
export async function writeLadderReport(
  root: string,
  input: { title: string; backend: string; seeds: readonly number[]; runs: readonly RungRun[]; rungs: readonly RungSpec[]; facts?: Record<string, string | number> },
): Promise<LadderReport> {
  const rows = summarizeLadder(input.runs);
  const table = ladderTable(rows);
  const svg = await renderSvg(ladderSpec(rows.map((r) => ({ rung: r.rung, accuracy: r.accuracy.mean })), input.title));
  await writeFileAtomic(join(root, 'ladder.svg'), svg);
  await writeFileAtomic(join(root, 'ladder.png'), await svgToPng(svg));
  await writeFileAtomic(join(root, 'ladder.json'), `${JSON.stringify({ backend: input.backend, seeds: input.seeds, rungs: rows, runs: input.runs }, null, 2)}\n`);
  const total = input.runs.reduce((a, r) => a + r.seconds, 0);
  const report = await writeReport(root, {
    title: input.title,
    history: [],
    classNames: [],
    facts: { backend: input.backend, seeds: input.seeds.join(', '), ...input.facts, 'total time': `${total.toFixed(0)} s` },
    sections: [
      { heading: 'Accuracy per rung', html: svg },
      { heading: 'What each rung bought', html: `<pre>${table}</pre>` },
      { heading: 'Runs', html: `<ul>${input.runs.map((r) => `<li><a href="${r.dir}/report.html">${runLabel(r, input.seeds)}</a>${explainOf(input.rungs, r.rung)}</li>`).join('')}</ul>` },
    ],
  });
  return { rows, table, report };
}
