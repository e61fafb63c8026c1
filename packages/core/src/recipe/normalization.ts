import { FrugalInputError } from '../errors.js';
import type { Frugal } from '../frugal.js';
import { savedModelDir } from '../io/initial-weights.js';
import { readModelCard } from '../io/model-card.js';
import type { DatasetSource, Normalization } from '../types.js';
import type { Recipe } from './schema.js';

/** The normalisation a recipe gives itself, known before its data is read: 'none', a mean and std, or undefined for the dataset's own. */
export interface GivenNormalization {
  readonly normalization: Normalization | 'none' | undefined;
  /** Where it comes from, for errors: `data.normalization`, or the network `pretrained` took it from. */
  readonly from: string;
}

/**
 * What `data.normalization` asks for. `pretrained` is the input normalisation of the network the run
 * starts from: the strategy's own starting network when it names one (transfer's `source`), else
 * `model.init`'s card, else the preprocessing the model's imported `weights` expect.
 */
export async function givenNormalization(frugal: Frugal, recipe: Recipe): Promise<GivenNormalization> {
  const n = recipe.data.normalization;
  if (n === 'dataset') return { normalization: undefined, from: 'the dataset' };
  if (n !== 'pretrained') return { normalization: n, from: 'data.normalization' };
  const strategy = frugal.strategies.get(recipe.strategy.name);
  const start = strategy.startsFrom?.(frugal.strategies.parse(recipe.strategy.name, recipe.strategy.params, `strategy.params`));
  if (start && 'savedModel' in start) return fromCard(start.savedModel, start.field);
  if (start && 'unknown' in start) {
    throw new FrugalInputError(`data.normalization is "pretrained", but ${start.unknown}; set data.normalization to the mean and std it was trained with`);
  }
  const model = start?.model ?? recipe.model;
  // The recipe's model starts from model.init's weights.
  if (recipe.model.init && model.name === recipe.model.name) return fromCard(recipe.model.init, 'model.init');
  const config = model.params.weights !== undefined ? frugal.models.get(model.name).pretrained : undefined;
  if (config) return { normalization: { mean: [...config.mean], std: [...config.std] }, from: `data.normalization "pretrained" (the weights of ${model.name})` };
  throw new FrugalInputError(
    `data.normalization is "pretrained", but the run starts from no pretrained network whose normalisation is known` +
      (start ? '' : ` (no model.init, and model "${model.name}" imports no weights)`) +
      `; give model.init (a run or a saved model), a model with weights, or a transfer source; or set data.normalization to "dataset" or { mean, std }`,
  );
}

async function fromCard(path: string, field: string): Promise<GivenNormalization> {
  const card = await readModelCard(savedModelDir(path, field));
  return { normalization: card.normalization, from: `data.normalization "pretrained" (the card of ${field} ${path})` };
}

/** The normalisation a run trains with: the given one, else the source's statistics, else 0.5 and 0.5; checked against the images' channels. */
export function resolveNormalization(given: GivenNormalization, source: DatasetSource, channels: number): Normalization {
  if (given.normalization === 'none') return { mean: new Array(channels).fill(0), std: new Array(channels).fill(1) };
  const normalization = given.normalization ?? source.normalization ?? { mean: new Array(channels).fill(0.5), std: new Array(channels).fill(0.5) };
  checkNormalization(normalization, channels, given.normalization ? given.from : `the normalization of dataset "${source.name}"`);
  return normalization;
}

/** One mean and one std per channel of the images, or one of each for all. */
function checkNormalization(normalization: Normalization, channels: number, what: string): void {
  const { mean, std } = normalization;
  if (mean.length === std.length && (mean.length === channels || mean.length === 1)) return;
  const count = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
  throw new FrugalInputError(
    `${what} has ${count(mean.length, 'mean')} and ${count(std.length, 'std')}, but the images have ${count(channels, 'channel')} (${channels === 1 ? 'grayscale' : 'colour'}); ` +
      `give ${channels === 1 ? 'one of each' : `${channels} of each, or one of each for all`}` +
      (mean.length === std.length && channels === 1 && mean.length === 3 ? ', or decode the images in colour (the dataset\'s color: rgb)' : ''),
  );
}
