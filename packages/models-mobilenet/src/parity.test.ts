import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFrugal, loadSavedModel, type BuiltModel } from '@frugal/core';
import { convertWeights, exportTorchWeights, SafetensorsFile, type WeightLoadReport } from '@frugal/torch-compat';
import { FIXTURES_HINT, findTorchFixtures, readFixtureIO, relativeError, type TorchFixture } from '@frugal/torch-compat/testing';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mobilenet } from './plugin.js';

// torchvision's MobileNets with seeded random weights (batch norm statistics too) and their
// eval-mode logits: from $FRUGAL_FIXTURES where it has them, else written here at 64x64 by
// tools/fixtures/torchvision_fixtures.py with Debian's python3-torchvision (a few seconds).
const MODELS = {
  mobilenet_v2: { tensors: 262, classifier: 'classifier.1' },
  mobilenet_v3_large: { tensors: 266, classifier: 'classifier.3' },
  mobilenet_v3_small: { tensors: 210, classifier: 'classifier.3' },
} as const;
type Name = keyof typeof MODELS;
const names = Object.keys(MODELS) as Name[];

const script = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'tools', 'fixtures', 'torchvision_fixtures.py');
let written: string | undefined;
let why = FIXTURES_HINT;
function fixtures(): Partial<Record<Name, TorchFixture>> {
  const found = Object.fromEntries(names.flatMap((name) => findTorchFixtures(name).slice(0, 1).map((f) => [name, f])));
  const missing = names.filter((name) => !found[name]);
  if (missing.length === 0) return found;
  const torchvision = spawnSync('/usr/bin/python3', ['-c', 'import torchvision'], { encoding: 'utf8' });
  if (torchvision.status !== 0) {
    why = `/usr/bin/python3 cannot import torchvision (apt-get install python3-torchvision). ${FIXTURES_HINT}`;
    return found;
  }
  written = mkdtempSync(join(tmpdir(), 'frugal-mobilenet-fixtures-'));
  const run = spawnSync('/usr/bin/python3', [script, '--out', written, '--models', missing.join(','), '--size', '64'], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${script} failed: ${run.stderr}`);
  for (const name of missing) {
    const base = join(written, `${name}-seed1`);
    found[name] = { model: name, weights: `${base}.weights.safetensors`, io: `${base}.io.safetensors` };
  }
  return found;
}
const found = fixtures();

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  if (written) rmSync(written, { recursive: true, force: true });
});

describe.each(names)('torchvision parity: %s', (name) => {
  const fixture = found[name];
  if (!fixture) {
    // Skipped, and said so in its name, only where neither $FRUGAL_FIXTURES holds the fixture nor
    // /usr/bin/python3 can write it (python3-torchvision absent); CI installs it, so there it runs.
    it.skip(`no ${name} fixtures (skipped: ${why})`, () => {});
    return;
  }
  const { tensors, classifier } = MODELS[name];

  it(`reproduces the logits of ${fixture.weights.split('/').pop()} (relative error < 1e-4)`, async ({ annotate }) => {
    const { input, outputs } = readFixtureIO(fixture);
    const [, h, w, c] = input.shape;
    const built: BuiltModel & { weightsReport?: WeightLoadReport } = createFrugal({ plugins: [mobilenet()], seed: 1 }).models.create(name, { numClasses: 1000, inputShape: [h, w, c], weights: fixture.weights });
    expect(built.weightsReport?.missing).toEqual([]);
    expect(built.weightsReport?.loaded).toHaveLength(tensors);
    const logits = built.model.predict(input) as tf.Tensor;
    const error = relativeError(logits, outputs.get('logits') as tf.Tensor);
    await annotate(`relative error ${error.toExponential(2)}`); // shown by --reporter verbose
    expect(error).toBeLessThan(1e-4);
    tf.dispose([input, logits, ...outputs.values()]);
    built.model.dispose();
  });

  it('exports the weights back to the state dict it read (depthwise filters as [channels, 1, k, k])', () => {
    const built = createFrugal({ plugins: [mobilenet()], seed: 1 }).models.create(name, { numClasses: 1000, inputShape: [64, 64, 3], weights: fixture.weights });
    const file = SafetensorsFile.read(fixture.weights);
    const exported = SafetensorsFile.fromBytes(exportTorchWeights(built.model, { renames: { [classifier]: 'head' } }), 'export');
    expect(exported.names().sort()).toEqual(file.names().sort());
    for (const tensor of file.names()) {
      const [ours, theirs] = [exported.read(tensor), file.read(tensor)];
      expect(ours.shape, tensor).toEqual(theirs.shape);
      expect(ours.data.every((v, i) => v === theirs.data[i]), tensor).toBe(true);
    }
    built.model.dispose();
  });

  it(`converts to a TensorFlow.js model directory that predicts the same logits, its class count read from ${classifier}`, async () => {
    const out = mkdtempSync(join(tmpdir(), 'frugal-mobilenet-convert-'));
    try {
      const frugal = createFrugal({ plugins: [mobilenet()], seed: 1 });
      const result = await convertWeights(frugal, { model: name, weights: fixture.weights, outDir: join(out, 'model'), inputShape: [64, 64, 3] });
      expect(result.numClasses).toBe(1000);
      const { input, outputs } = readFixtureIO(fixture);
      const model = await loadSavedModel(join(out, 'model'));
      const logits = model.predict(input) as tf.Tensor;
      expect(relativeError(logits, outputs.get('logits') as tf.Tensor)).toBeLessThan(1e-4);
      tf.dispose([input, logits, ...outputs.values()]);
      model.dispose();
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
