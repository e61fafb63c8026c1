import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frugal, Recipe, RunResult } from '@frugal/core';
import { writeReport } from './html-report.js';
import { writeRecipePreview } from '../preview.js';

function parseLine(line: string): Record<string, unknown> | undefined {
  try {
    const record: unknown = JSON.parse(line);
    return record !== null && typeof record === 'object' ? (record as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The epoch records of a run's metrics.jsonl (all iterations / phases, in order). Lines that do not
 * parse (a line cut short when a run was killed) are left out: the report is a view of the run.
 */
export function readHistory(runDir: string): Record<string, number>[] {
  const file = join(runDir, 'metrics.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(parseLine)
    .filter((r): r is Record<string, unknown> => r?.kind === 'epoch')
    .map((r, i) => {
      const out: Record<string, number> = { epoch: i + 1 };
      for (const [k, v] of Object.entries(r)) if (typeof v === 'number' && k !== 'epoch' && k !== 'step') out[k] = v;
      return out;
    });
}

/** report.html for a finished training run. */
export async function writeRunReport(frugal: Frugal, runDir: string, recipe: Recipe, run: RunResult): Promise<string> {
  // The run has said what its data's notices are; the preview reads the data again, silently.
  const preview = recipe.augment.length ? await writeRecipePreview(frugal, recipe, join(runDir, 'plots', 'augmentation-preview.png'), { log: () => {} }) : undefined;
  return writeReport(runDir, {
    title: `${recipe.name ?? recipe.model.name}: ${recipe.strategy.name}`,
    history: readHistory(runDir),
    evaluation: run.evaluation,
    classNames: run.data.classNames,
    preview: preview ? 'plots/augmentation-preview.png' : undefined,
    facts: {
      model: recipe.model.name,
      strategy: recipe.strategy.name,
      dataset: recipe.data.dataset,
      'labelled images': run.data.labelled,
      'unlabelled images': run.data.unlabelled,
      'test images': run.data.test,
      'test accuracy': run.evaluation ? `${(100 * run.evaluation.accuracy).toFixed(2)}%` : '-',
      'wall time': `${run.seconds.toFixed(1)} s`,
      seed: recipe.seed,
    },
  });
}
