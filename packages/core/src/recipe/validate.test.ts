import { beforeAll, describe, expect, it } from 'vitest';
import { createFrugal } from '../frugal.js';
import { tinyCnnPlugin, useCpu } from '../testing/index.js';
import { parseRecipeText } from './load.js';
import { validateRecipe } from './validate.js';

beforeAll(useCpu);
const frugal = createFrugal({ plugins: [tinyCnnPlugin()], seed: 1 });

const good = {
  seed: 3,
  data: { dataset: 'stripes', labelledPerClass: 4 },
  model: { name: 'tiny-cnn' },
  train: { epochs: 2, batchSize: 4 },
};

const with_ = (patch: (r: Record<string, unknown>) => void) => {
  const r = structuredClone(good) as Record<string, unknown>;
  patch(r);
  return r;
};

describe('validateRecipe', () => {
  it('fills defaults and validates registry parameters', () => {
    const recipe = validateRecipe(good, frugal);
    expect(recipe.strategy.name).toBe('supervised');
    expect(recipe.train.optimizer.name).toBe('sgd');
    expect(recipe.data.params).toEqual({ count: 60, testCount: 30, horizontal: false, size: 8 });
  });

  const bad: [string, Record<string, unknown>, string][] = [
    ['an unknown top-level key', with_((r) => (r.epochs = 3)), 'recipe: unknown key "epochs" (did you mean "train.epochs"?); remove or correct it'],
    ['a key in the wrong section', with_((r) => ((r.train as Record<string, unknown>).lr = 0.1)), 'recipe.train: unknown key "lr" (did you mean "train.optimizer.lr"?); remove or correct it'],
    ['a misspelt key', with_((r) => ((r.train as Record<string, unknown>).batchsize = 8)), 'recipe.train: unknown key "batchsize" (did you mean "batchSize"?); remove or correct it'],
    ['a missing data section', with_((r) => delete r.data), 'recipe.data: got nothing (the field is required); expected an object'],
    ['a negative epoch count', with_((r) => ((r.train as Record<string, unknown>).epochs = -1)), 'recipe.train.epochs: got -1; expected number to be >=1'],
    ['a fractional batch size', with_((r) => ((r.train as Record<string, unknown>).batchSize = 2.5)), 'recipe.train.batchSize: got 2.5; expected an integer'],
    ['an unknown optimizer', with_((r) => ((r.train as Record<string, unknown>).optimizer = { name: 'lion' })), 'recipe.train.optimizer.name: got "lion"; expected one of "sgd", "adam", "adamw"'],
    ['a string seed', with_((r) => (r.seed = 'abc')), 'recipe.seed: got "abc"; expected a number'],
    ['an unknown dataset', with_((r) => ((r.data as Record<string, unknown>).dataset = 'cifar')), 'recipe.data.dataset: got "cifar"; expected one of "stripes" — no dataset of that name is registered; is its plugin loaded?'],
    ['an unknown model', with_((r) => ((r.model as Record<string, unknown>).name = 'vit')), 'recipe.model.name: got "vit"; expected one of "tiny-cnn" — no model of that name is registered; is its plugin loaded?'],
    ['a pasted file as the model name, cut short', with_((r) => ((r.model as Record<string, unknown>).name = 'resnet'.repeat(150_000))), `recipe.model.name: got "${'resnet'.repeat(13).slice(0, 77)}..."; expected one of "tiny-cnn"`],
    ['a bad model parameter', with_((r) => ((r.model as Record<string, unknown>).params = { dropout: 2 })), 'recipe.model.params.dropout: got 2; expected number to be <=0.9'],
    ['an unknown model parameter', with_((r) => ((r.model as Record<string, unknown>).params = { depth: 3 })), 'recipe.model.params: unknown key "depth"; it takes dropout; remove or correct it'],
    ['an unknown strategy', with_((r) => (r.strategy = { name: 'magic' })), 'recipe.strategy.name: got "magic"; expected one of "supervised" — no strategy of that name is registered; is its plugin loaded?'],
    ['an unknown augmentation', with_((r) => (r.augment = [{ op: 'blur' }])), 'recipe.augment[0]: unknown augmentation "blur". Registered augmentations: none. Check the spelling, or load the plugin that provides it (the stock ops and policies come from @frugal/augment: plugins: [augment()] in code, "plugins": ["@frugal/augment"] in a recipe).'],
    ['both labelled counts', with_((r) => ((r.data as Record<string, unknown>).labelledFraction = 0.5)), 'recipe.data.labelledFraction: got 0.5; give labelledPerClass or labelledFraction, not both'],
    ['a bad dataset parameter', with_((r) => ((r.data as Record<string, unknown>).params = { count: 1 })), 'recipe.data.params.count: got 1; expected number to be >=3'],
    ['a bad schedule', with_((r) => ((r.train as Record<string, unknown>).schedule = { name: 'cosine', pctStart: 1.5 })), 'recipe.train.schedule.pctStart: got 1.5; expected number to be <1'],
    ['an unknown callback', with_((r) => (r.callbacks = [{ name: 'tensorboard' }])), 'recipe.callbacks[0].name: got "tensorboard"; expected one of "early-stopping", "metrics-jsonl", "progress" — no callback of that name is registered; is its plugin loaded?'],
  ];

  it.each(bad)('rejects %s with its message', (_what, recipe, message) => {
    expect(() => validateRecipe(recipe, frugal)).toThrow(message);
  });

  it('reads YAML and JSON, and names the line of a YAML syntax error', () => {
    const yaml = 'data:\n  dataset: stripes\nmodel:\n  name: tiny-cnn\n';
    expect(validateRecipe(parseRecipeText(yaml, 'r.yaml'), frugal).model.name).toBe('tiny-cnn');
    expect(validateRecipe(parseRecipeText(JSON.stringify(good), 'r.json'), frugal).seed).toBe(3);
    expect(() => parseRecipeText('data:\n  dataset: [stripes\nmodel: x\n', 'bad.yaml')).toThrow(/Recipe file bad\.yaml is not valid YAML at line \d+, column \d+/);
    expect(() => parseRecipeText('seed: 0\n\tdata: x\n', 'tab.yaml')).toThrow(/^Recipe file tab\.yaml is not valid YAML at line 2, column 1: Tabs are not allowed as indentation$/);
    expect(() => parseRecipeText('{"a": }', 'bad.json')).toThrow(/Recipe file bad\.json is not valid JSON/);
  });

  it('refuses a key given twice, in JSON as in YAML', () => {
    expect(() => parseRecipeText('{"train": {"epochs": 1,\n "epochs": 3}}', 'twice.json')).toThrow(
      'Recipe file twice.json gives a key twice at line 2, column 2 (JSON would keep the last one silently); give each key once',
    );
    expect(() => parseRecipeText('train:\n  epochs: 1\n  epochs: 3\n', 'twice.yaml')).toThrow(/Recipe file twice\.yaml is not valid YAML at line 3/);
  });

  it.each([
    ['', 'nothing'],
    ['null', 'nothing'],
    ['- a\n- b\n', 'a list'],
    ['42', 'a number'],
  ])('refuses recipe text %j, which is no mapping, naming the file', (text, kind) => {
    expect(() => parseRecipeText(text, 'r.yaml')).toThrow(`Recipe file r.yaml holds ${kind}, not a recipe`);
  });

  it.each([
    ['YAML', 'deep.yaml', `data: ${'['.repeat(2500)}1${']'.repeat(2500)}\nmodel: { name: tiny-cnn }\n`],
    ['JSON', 'deep.json', `{"data": ${'['.repeat(200_000)}${']'.repeat(200_000)}}`],
  ])('refuses %s nested thousands of levels deep before it can exhaust the stack', (_format, file, text) => {
    expect(() => parseRecipeText(text, file)).toThrow(`Recipe file ${file} nests lists or mappings more than 64 levels deep`);
  });
});
