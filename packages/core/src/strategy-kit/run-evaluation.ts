import type { LayersModel } from '@tensorflow/tfjs-layers';
import { evaluate, type EvaluationResult } from '../metrics/evaluate.js';
import type { Logs } from '../train/callback.js';
import type { StrategyContext } from '../train/strategy.js';

/** Per-epoch validation logs (`valLoss`, `valAccuracy`) of `model`; undefined when the run has no validation set. */
export function validationLogs(ctx: StrategyContext, model: LayersModel): (() => Logs) | undefined {
  const { validation, normalization } = ctx.data;
  if (!validation) return undefined;
  return () => {
    const r = evaluate(model, validation, { normalization });
    return { valLoss: r.loss, valAccuracy: r.accuracy };
  };
}

/** What a strategy reports at the end: `model` on the test set, else on the validation set, else nothing. */
export function finalEvaluation(ctx: StrategyContext, model: LayersModel): EvaluationResult | undefined {
  const { test, validation, normalization } = ctx.data;
  const set = test ?? validation;
  return set ? evaluate(model, set, { normalization }) : undefined;
}
