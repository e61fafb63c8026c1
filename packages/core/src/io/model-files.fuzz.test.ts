import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Rng } from '../rng.js';
import { fuzzParameters, resultOrInputError } from '../testing/fuzz.js';
import { tinyConvNet, useCpu } from '../testing/index.js';
import { fileHandler } from './file-handler.js';
import { parseModelCard, readModelCard } from './model-card.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-model-fuzz-'));
let goodJson: Record<string, unknown>;
let goodWeights: Uint8Array;
const goodCard = {
  format: 'frugal-model/1',
  model: 'tiny-cnn',
  classNames: ['a', 'b', 'c'],
  inputShape: [8, 8, 1],
  normalization: { mean: [0.5], std: [0.25] },
  decode: { resize: 'shorter-side-crop', shorterSide: 10, kernel: 'linear' },
};

beforeAll(async () => {
  await useCpu();
  const dir = join(root, 'good');
  await tinyConvNet(3, [8, 8, 1], new Rng(1)).save(fileHandler(dir));
  goodJson = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  goodWeights = new Uint8Array(readFileSync(join(dir, 'weights.bin')));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
/** A model folder holding `modelJson` (text) and `weights`. */
function folder(modelJson: string, weights: Uint8Array): string {
  const dir = join(root, `case-${n++}`);
  mkdirSync(dir);
  writeFileSync(join(dir, 'model.json'), modelJson);
  writeFileSync(join(dir, 'weights.bin'), weights);
  return dir;
}

const hostile = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(NaN, -1, 2 ** 40, '', '../weights.bin', '/etc/passwd', 'weights.bin', null, [], {}, [[]], [{}]),
);
/** Replaces the value at a random path of a JSON value by `value`. */
function replaceAt(json: unknown, picks: number[], value: unknown): unknown {
  if (picks.length === 0 || json === null || typeof json !== 'object') return value;
  const copy: Record<string, unknown> = Array.isArray(json) ? ([...json] as never) : { ...(json as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0) return value;
  const key = keys[(picks[0] as number) % keys.length] as string;
  copy[key] = replaceAt(copy[key], picks.slice(1), value);
  return copy;
}

describe('model.json loader (fuzz): any folder gives model artifacts or a FrugalInputError', () => {
  it('arbitrary bytes as model.json', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (text) => {
        await resultOrInputError(() => fileHandler(folder(text, goodWeights)).load!());
      }),
      fuzzParameters(300),
    );
  });

  it('a good model.json with one value replaced, and weights cut or padded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 6 }), hostile, fc.integer({ min: -64, max: 64 }), async (picks, value, delta) => {
        const weights = delta < 0 ? goodWeights.subarray(0, goodWeights.length + delta) : new Uint8Array([...goodWeights, ...new Uint8Array(delta)]);
        await resultOrInputError(() => fileHandler(folder(JSON.stringify(replaceAt(goodJson, picks, value)) ?? '', weights)).load!());
      }),
      fuzzParameters(500),
    );
  });
});

describe('frugal.json loader (fuzz): any card gives a checked card or a FrugalInputError', () => {
  it('a good card with one value replaced', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.nat(), { maxLength: 4 }), hostile, async (picks, value) => {
        await resultOrInputError(() => parseModelCard(replaceAt(goodCard, picks, value), 'frugal.json'));
      }),
      fuzzParameters(2000),
    );
  });

  it('arbitrary text as frugal.json', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 200 }), async (text) => {
        const dir = join(root, `card-${n++}`);
        mkdirSync(dir);
        writeFileSync(join(dir, 'frugal.json'), text);
        await resultOrInputError(() => readModelCard(dir));
      }),
      fuzzParameters(300),
    );
  });
});
