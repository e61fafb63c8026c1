import { join } from 'node:path';
import { earlyStopping } from '../callbacks/early-stopping.js';
import { metricsJsonl } from '../callbacks/metrics-jsonl.js';
import { progressBar } from '../callbacks/progress-bar.js';
import type { Frugal } from '../frugal.js';
import type { TrainingCallback } from '../train/callback.js';
import type { Recipe } from './schema.js';

/**
 * A run's callbacks: the progress bar and `metrics.jsonl` (unless the recipe names its own, which
 * then replaces it rather than writing every line twice), the recipe's callbacks, early stopping on
 * the validation loss when `train.earlyStoppingPatience` is set, then `extra`. A quiet run (`--quiet`,
 * `--json`) quietens the recipe's own progress callback too.
 */
export function runCallbacks(
  frugal: Frugal,
  recipe: Recipe,
  options: { runDir?: string; quiet?: boolean; extra?: readonly TrainingCallback[] },
): TrainingCallback[] {
  const { runDir } = options;
  const named = (name: string) => recipe.callbacks.filter((cb) => cb.name === name);
  const callbacks: TrainingCallback[] = [];
  if (named('progress').length === 0) callbacks.push(progressBar({ quiet: options.quiet }));
  const ownMetrics = named('metrics-jsonl').some((cb) => (cb.params.file ?? 'metrics.jsonl') === 'metrics.jsonl');
  if (runDir && !ownMetrics) callbacks.push(metricsJsonl(join(runDir, 'metrics.jsonl')));
  for (const cb of recipe.callbacks) {
    const params = options.quiet && cb.name === 'progress' ? { ...cb.params, quiet: true } : cb.params;
    callbacks.push(frugal.callbacks.create(cb.name, params, runDir));
  }
  const patience = recipe.train.earlyStoppingPatience;
  if (patience) callbacks.push(earlyStopping({ monitor: 'valLoss', patience }));
  callbacks.push(...(options.extra ?? []));
  return callbacks;
}
