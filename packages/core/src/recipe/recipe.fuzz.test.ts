import fc from 'fast-check';
import { stringify } from 'yaml';
import { beforeAll, describe, it } from 'vitest';
import { createFrugal } from '../frugal.js';
import { fuzzParameters, resultOrInputError } from '../testing/fuzz.js';
import { tinyCnnPlugin, useCpu } from '../testing/index.js';
import { parseRecipeText } from './load.js';
import { validateRecipe } from './validate.js';

beforeAll(useCpu);
const frugal = createFrugal({ plugins: [tinyCnnPlugin()], seed: 1 });
const good = {
  name: 'fuzz',
  seed: 3,
  data: { dataset: 'stripes', labelledPerClass: 4, params: { count: 60 } },
  model: { name: 'tiny-cnn', params: {} },
  augment: [],
  strategy: { name: 'supervised', params: {} },
  train: { epochs: 2, batchSize: 4, optimizer: { name: 'sgd', lr: 0.1 } },
  callbacks: [{ name: 'early-stopping', params: {} }],
  output: { dir: 'runs' },
};

/** Loads recipe text as the CLI does: parse, then validate. */
const load = (text: string, file: string) => resultOrInputError(() => validateRecipe(parseRecipeText(text, file), frugal));

/** A path into `good` and a hostile value to put there. */
const paths = fc.constantFrom(
  [], ['name'], ['seed'], ['data'], ['data', 'dataset'], ['data', 'labelledPerClass'], ['data', 'params'], ['data', 'params', 'count'],
  ['model'], ['model', 'name'], ['model', 'params'], ['augment'], ['strategy'], ['strategy', 'params'], ['train'], ['train', 'epochs'],
  ['train', 'optimizer'], ['train', 'optimizer', 'lr'], ['callbacks'], ['callbacks', 0], ['callbacks', 0, 'params'], ['output', 'dir'],
);
const hostile = fc.oneof(
  fc.anything({ maxDepth: 3, withNullPrototype: true, withObjectString: true }),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 2 ** 53, -1, 1e308, '', '..', '../../x', '__proto__', 'constructor', null),
);

function withValue(path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy = structuredClone(good) as Record<string | number, unknown>;
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key] as Record<string | number, unknown>;
  at[path[path.length - 1] as string | number] = value;
  return copy;
}

describe('recipe loader (fuzz): any text gives a recipe or a FrugalInputError', () => {
  it('arbitrary text as YAML and as JSON', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 400 }), async (text) => {
        await load(text, 'r.yaml');
        await load(text, 'r.json');
      }),
      fuzzParameters(1000),
    );
  });

  it('a good recipe with one field replaced by a hostile value, written as YAML', async () => {
    await fc.assert(
      fc.asyncProperty(paths, hostile, async (path, value) => {
        let text: string | undefined;
        try {
          text = stringify(withValue(path, value));
        } catch {
          return; // not representable in YAML
        }
        if (text === undefined) return;
        await load(text, 'r.yaml');
      }),
      fuzzParameters(1000),
    );
  });

  it('a good recipe with one field replaced, as a JSON object handed to the library', async () => {
    await fc.assert(
      fc.asyncProperty(paths, hostile, async (path, value) => {
        await resultOrInputError(() => validateRecipe(withValue(path, value), frugal));
      }),
      fuzzParameters(1000),
    );
  });

  it('YAML with deep nesting and many aliases', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 200 }), async (depth, aliases) => {
        await load(`data: ${'['.repeat(depth)}1${']'.repeat(depth)}\nmodel: { name: tiny-cnn }\n`, 'deep.yaml');
        const lines = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: aliases }, (_, i) => `b${i}: &b${i} [*${i === 0 ? 'a' : `b${i - 1}`}, *${i === 0 ? 'a' : `b${i - 1}`}]`)];
        await load(`${lines.join('\n')}\n`, 'aliases.yaml');
      }),
      fuzzParameters(40),
    );
  });
});
