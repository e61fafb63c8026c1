import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, type EvaluationResult } from '@frugal/core';
import { confusionSpec, curvesSpec, renderSvg, svgToPng } from './charts.js';

export interface ReportInput {
  title: string;
  history: readonly Record<string, number>[];
  evaluation?: EvaluationResult;
  classNames: readonly string[];
  /** Relative path of an augmentation preview PNG inside the run directory. */
  preview?: string;
  /** Extra sections: heading -> raw HTML or SVG. */
  sections?: readonly { heading: string; html: string }[];
  facts: Record<string, string | number>;
}

const escape = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

/** Writes report.html (with inline SVG plots) and PNG copies of the plots under `plots/`. */
export async function writeReport(runDir: string, input: ReportInput): Promise<string> {
  const parts: string[] = [];
  const plots: [string, string][] = [];
  if (input.history.length) plots.push(['curves', await renderSvg(curvesSpec(input.history, 'Loss and accuracy per epoch'))]);
  if (input.evaluation) {
    plots.push(['confusion', await renderSvg(confusionSpec(input.evaluation.confusion, input.classNames, 'Confusion matrix (test set)'))]);
  }
  for (const [name, svg] of plots) {
    await writeFileAtomic(join(runDir, 'plots', `${name}.svg`), svg);
    await writeFileAtomic(join(runDir, 'plots', `${name}.png`), await svgToPng(svg));
  }
  parts.push(`<h1>${escape(input.title)}</h1>`);
  parts.push(
    `<table class="facts">${Object.entries(input.facts)
      .map(([k, v]) => `<tr><th>${escape(k)}</th><td>${escape(String(v))}</td></tr>`)
      .join('')}</table>`,
  );
  for (const [name, svg] of plots) parts.push(`<section><h2>${name === 'curves' ? 'Training curves' : 'Confusion matrix'}</h2>${svg}</section>`);
  if (input.evaluation) {
    const rows = input.evaluation.perClass
      .map((c) => `<tr><td>${escape(c.className)}</td><td>${(100 * c.precision).toFixed(1)}%</td><td>${(100 * c.recall).toFixed(1)}%</td><td>${c.support}</td></tr>`)
      .join('');
    parts.push(`<section><h2>Per class</h2><table><tr><th>class</th><th>precision</th><th>recall</th><th>support</th></tr>${rows}</table></section>`);
  }
  if (input.preview && existsSync(join(runDir, input.preview))) {
    const png = readFileSync(join(runDir, input.preview)).toString('base64');
    parts.push(`<section><h2>Augmentation preview</h2><img alt="augmentation preview" src="data:image/png;base64,${png}"></section>`);
  }
  for (const s of input.sections ?? []) parts.push(`<section><h2>${escape(s.heading)}</h2>${s.html}</section>`);
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(input.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border-bottom:1px solid #ddd;padding:4px 10px;text-align:left}
section{margin:2em 0}img{image-rendering:pixelated;max-width:100%}</style></head>
<body>${parts.join('\n')}</body></html>\n`;
  const file = join(runDir, 'report.html');
  await writeFileAtomic(file, html);
  return file;
}
