import { applyInitialWeights, type InitialWeights, type InitialWeightsReport } from '../io/initial-weights.js';
import type { ModelSpec, StrategyContext } from '../train/strategy.js';
import type { BuiltModel, CreateModelOptions } from '../types.js';

/**
 * Builds a model for the run's data: `spec` (default: the recipe's model) with the data's class
 * count and input shape. Its initial weights come from the run's models (`ctx.models`, seeded by the
 * recipe) or from `options.rng` when a strategy needs them to depend on one stream only (a resumed
 * generation of self-training); a model of the recipe's model name then starts from the recipe's
 * `model.init` weights where they fit.
 */
export function buildModel(ctx: StrategyContext, spec: ModelSpec = ctx.model, options: CreateModelOptions = {}): BuiltModel {
  const { data } = ctx;
  const params = { ...spec.params, numClasses: data.classNames.length, inputShape: [...data.labelled.shape] as [number, number, number] };
  const built = (ctx.models ?? ctx.frugal.models).create(spec.name, params, options);
  if (ctx.init && spec.name === ctx.model.name) {
    const { copied, fresh } = startFrom(built, ctx.init, spec.name);
    ctx.log(`Started ${spec.name} from ${ctx.init.path}: ${copied} weights copied` + (fresh.length ? `, ${fresh.length} initialised afresh (${fresh.join(', ')})` : ''));
  }
  return built;
}

/** Copies `init`'s weights into a built model where they fit (`model.init`); the model is released when they cannot be. */
export function startFrom(built: BuiltModel, init: InitialWeights, modelName: string): InitialWeightsReport {
  try {
    return applyInitialWeights(built.trainingModel ?? built.model, init, modelName);
  } catch (error) {
    releaseModel(built);
    throw error;
  }
}

/**
 * Frees a built model's weights. A `trainingModel` (GoogLeNet's and Inception v3's auxiliary heads)
 * holds every layer of `model` and the heads, and a layer is freed once, so it is the one disposed.
 */
export function releaseModel(built: Pick<BuiltModel, 'model' | 'trainingModel'>): void {
  (built.trainingModel ?? built.model).dispose();
}
