import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { doctorHere, frugalSync, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

// The bench's best path on Fashion-MNIST with 10 labels a class, which the docs' "What 100 labels
// buy" page shows: the file itself climbed end to end, every rung with its options, at a few steps a rung.
const repo = join(import.meta.dirname, '..', '..', '..');
const bestPath = join(repo, 'tools', 'bench', 'semi-supervised', 'variants', 'ladder-width-1.25-weak-views-2.yaml');
const fashionMnist = '/usr/share/datasets/fashion-mnist';
const hasData = existsSync(fashionMnist);
if (!hasData) console.warn(`SKIPPED the best path's climb: ${fashionMnist} is missing (apt-get install dataset-fashion-mnist)`);

const root = mkdtempSync(join(tmpdir(), 'frugal-best-path-'));
beforeAll(requireBuiltCli);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `--set` flags that cut every rung of the path to a few steps (2 epochs, at most 5 steps each). */
const fewSteps = [
  'train.epochs=2',
  'rungs.rotation-source.strategy.params.images=128',
  'rungs.rotation-source.train.epochs=2',
  'rungs.transfer.train.epochs=2',
  'rungs.fixmatch.train.epochs=2',
  'rungs.fixmatch.strategy.params.stepsPerEpoch=5',
  'rungs.self-training.train.epochs=2',
  'rungs.self-training.strategy.params.stepsPerEpoch=5',
].flatMap((field) => ['--set', field]);

interface LadderJson {
  backend: string;
  rungs: { rung: string; accuracy: { mean: number }; labels: number; unlabelled: number }[];
}

// Each test climbs a whole ladder, on a random part of the unlabelled images (data.unlabelledLimit): the
// last rung labels every one it has.
describe('the best path on a folder of images (the binary)', () => {
  it('climbs every rung when its data is an image folder with an unlabelled folder, as the docs tell a user to', async () => {
    await writeBarsFolder(join(root, 'bars', 'train'), 10, 0);
    await writeBarsFolder(join(root, 'bars', 'unlabelled'), 20, 3);
    await writeBarsFolder(join(root, 'bars', 'test'), 4, 7);
    const dirs = { dir: join(root, 'bars', 'train'), unlabelledDir: join(root, 'bars', 'unlabelled'), testDir: join(root, 'bars', 'test') };
    const data = { dataset: 'image-folder', labelledPerClass: 10, unlabelledLimit: 40, params: { ...dirs, size: 12, color: 'grayscale' } };
    const out = join(root, 'bars-run');
    const r = frugalSync(['ladder', bestPath, ...fewSteps, '--set', `data=${JSON.stringify(data)}`, '--run-dir', out], root);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);
    const ladder = JSON.parse(readFileSync(join(out, 'ladder.json'), 'utf8')) as LadderJson;
    expect(ladder.rungs.map((x) => [x.rung, x.labels, x.unlabelled])).toEqual([
      ['augmentation', 30, 0],
      ['transfer', 30, 40],
      ['fixmatch', 30, 40],
      ['self-training', 30, 40],
    ]);
  }, 300_000);
});

describe.skipIf(!hasData)('the best path on Fashion-MNIST (the binary)', () => {
  it('climbs every rung, each from the model of the rung below, with the path\'s own options', async () => {
    // The bench's command runs in bfloat16 on the native backend; elsewhere the same path in float32.
    const { backend, bfloat16 } = doctorHere(root);
    const out = join(root, 'run');
    const limits = ['--set', 'data.testLimit=500', '--set', 'data.unlabelledLimit=2000'];
    const r = frugalSync([...(bfloat16 ? ['--precision', 'bfloat16'] : []), 'ladder', bestPath, ...fewSteps, ...limits, '--run-dir', out], root);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.code).toBe(0);

    const ladder = JSON.parse(readFileSync(join(out, 'ladder.json'), 'utf8')) as LadderJson;
    expect(ladder.backend).toBe(backend);
    expect(ladder.rungs.map((x) => x.rung)).toEqual(['augmentation', 'transfer', 'fixmatch', 'self-training']);
    for (const rung of ladder.rungs) {
      expect(rung.labels).toBe(100);
      expect(rung.accuracy.mean).toBeGreaterThan(0);
      expect(rung.accuracy.mean).toBeLessThanOrEqual(1);
    }
    expect(ladder.rungs.slice(1).map((x) => x.unlabelled)).toEqual([2000, 2000, 2000]);
    expect(r.stderr).toContain('data.unlabelledLimit: 2000 of the 59900 unlabelled images, drawn at random');

    const recipe = (dir: string) =>
      JSON.parse(readFileSync(join(out, dir, 'recipe.json'), 'utf8')) as { model: { init?: string; params: { widthMultiplier: number } }; strategy: { name: string; params: Record<string, unknown> } };
    // Each rung starts from the one below; the pretext from a fresh network.
    expect(recipe('2-rotation-source').model.init).toBeUndefined();
    expect(recipe('3-transfer').model.init).toBe(join(out, '2-rotation-source', 'model'));
    expect(recipe('4-fixmatch').model.init).toBe(join(out, '3-transfer', 'model'));
    expect(recipe('5-self-training').model.init).toBe(join(out, '4-fixmatch', 'model'));
    expect(recipe('4-fixmatch').model.params.widthMultiplier).toBe(1.25);
    expect(recipe('4-fixmatch').strategy.params).toMatchObject({ weakViews: 2, confidenceThreshold: 'self-adaptive', distributionAlignment: true });
    expect(recipe('5-self-training').strategy.name).toBe('noisy-student');
    const fixmatch = JSON.parse(readFileSync(join(out, '4-fixmatch', 'summary.json'), 'utf8')) as { details: { steps: number; history: Record<string, number>[] } };
    expect(fixmatch.details.steps).toBe(10);
    expect(fixmatch.details.history.every((h) => h['threshold']! > 0 && h['maskRate']! >= 0)).toBe(true);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  }, 300_000);
});
