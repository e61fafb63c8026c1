import type { Frugal } from '../frugal.js';
import { FrugalInputError } from '../errors.js';
import { closestName, quotedName } from './closest-name.js';
import { formatZodError } from './format-zod-error.js';
import { recipeSchema, type Recipe } from './schema.js';
import type { Catalog } from '../frugal.js';

function checkName(catalog: Catalog<unknown>, name: string, path: string, kind: string): void {
  if (!catalog.has(name)) {
    const known = catalog.names();
    const close = closestName(name, known);
    throw new FrugalInputError(
      `${path}: got ${quotedName(name)}; ${close ? `did you mean "${close}"? ` : ''}expected one of ${known.map((n) => `"${n}"`).join(', ') || '(none registered)'}` +
        ` — no ${kind} of that name is registered; is its plugin loaded?`,
    );
  }
}

/**
 * Validates a recipe against the recipe schema and, for every named thing it uses, against that
 * registry entry's parameter schema. Errors give the field path, the bad value and what is allowed.
 */
export function validateRecipe(raw: unknown, frugal: Frugal, source = 'recipe'): Recipe {
  const parsed = recipeSchema.safeParse(raw);
  if (!parsed.success) throw new FrugalInputError(formatZodError(parsed.error, source, raw, recipeSchema));
  const { augment, ...rest } = parsed.data;
  const recipe: Recipe = { ...rest, augment: augment.map((spec, i) => frugal.augmentations.resolve(spec, `${source}.augment[${i}]`)) };
  checkName(frugal.datasets, recipe.data.dataset, `${source}.data.dataset`, 'dataset');
  recipe.data.params = frugal.datasets.parse(recipe.data.dataset, recipe.data.params, `${source}.data.params`);
  checkName(frugal.models, recipe.model.name, `${source}.model.name`, 'model');
  const { numClasses: _n, inputShape: _i, ...modelParams } = recipe.model.params;
  frugal.models.parse(recipe.model.name, modelParams, `${source}.model.params`);
  checkName(frugal.strategies, recipe.strategy.name, `${source}.strategy.name`, 'strategy');
  recipe.strategy.params = frugal.strategies.parse(recipe.strategy.name, recipe.strategy.params, `${source}.strategy.params`);
  recipe.callbacks = recipe.callbacks.map((cb, i) => {
    checkName(frugal.callbacks, cb.name, `${source}.callbacks[${i}].name`, 'callback');
    return { name: cb.name, params: frugal.callbacks.parse(cb.name, cb.params, `${source}.callbacks[${i}].params`) };
  });
  checkEarlyStopping(recipe, source);
  return recipe;
}

/** `train.earlyStoppingPatience` watches the validation loss: it needs a validation set, and says it once. */
function checkEarlyStopping(recipe: Recipe, source: string): void {
  const patience = recipe.train.earlyStoppingPatience;
  if (!patience) return;
  if (!recipe.data.validationPerClass) {
    throw new FrugalInputError(
      `${source}.train.earlyStoppingPatience: got ${patience}; it watches the validation loss, and this recipe has no validation set. ` +
        'Set data.validationPerClass (e.g. 5), or remove earlyStoppingPatience',
    );
  }
  if (recipe.callbacks.some((cb) => cb.name === 'early-stopping')) {
    throw new FrugalInputError(
      `${source}.train.earlyStoppingPatience: the recipe also names the early-stopping callback; give early stopping once (the callback can watch other metrics)`,
    );
  }
}
