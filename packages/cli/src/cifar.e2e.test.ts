import { CIFAR10 } from '@frugal/data';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frugalSync, oneCleanLine, requireBuiltCli } from './testing/e2e.js';

// The guide's CIFAR-10 FixMatch recipe (docs/guide/semi-supervised.md), through the built command,
// on a copy of CIFAR-10's binary batch files holding 8 images each (the dataset's own are 180 MB).
const root = mkdtempSync(join(tmpdir(), 'frugal-cifar-'));
const recipe = join(import.meta.dirname, '..', '..', '..', 'docs', 'examples', 'recipes', 'cifar10-fixmatch.yaml');
const batches = join(root, 'cifar-10-batches-bin');

beforeAll(() => {
  requireBuiltCli();
  mkdirSync(batches, { recursive: true });
  [...CIFAR10.trainFiles, ...CIFAR10.testFiles].forEach((file, f) => {
    // Records of a label byte, then the red, green and blue 32×32 planes; the classes in turn, each class its own shade.
    const records = Buffer.alloc(8 * 3073);
    for (let i = 0; i < 8; i++) {
      const label = (f * 8 + i) % 10;
      records.fill(label, i * 3073, i * 3073 + 1).fill(20 + label * 20, i * 3073 + 1, (i + 1) * 3073);
    }
    writeFileSync(join(batches, file), records);
  });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The recipe as the guide shows it, cut to a few steps. */
const short = ['data.labelledPerClass=2', 'strategy.params.stepsPerEpoch=2', 'strategy.params.unlabelledRatio=1', 'train.epochs=1', 'train.batchSize=4'];
const sets = (fields: string[]) => fields.flatMap((field) => ['--set', field]);

describe('the CIFAR-10 FixMatch recipe of the semi-supervised guide', () => {
  it('trains on the binary batch files and writes a model of 32×32 colour images and CIFAR-10\'s classes', () => {
    const run = join(root, 'runs', 'fixmatch');
    const r = frugalSync(['train', recipe, '--run-dir', run, ...sets([`data.params.dir=${root}`, ...short])], root);
    expect(r.stderr).not.toMatch(/frugal: /);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('Training wrn-28-2 with strategy "fixmatch" on 20 labelled images (+20 unlabelled), 10 classes');
    const card = JSON.parse(readFileSync(join(run, 'model', 'frugal.json'), 'utf8'));
    expect([card.inputShape, card.classNames]).toEqual([[32, 32, 3], CIFAR10.classNames]);
    const evaluated = frugalSync(['eval', run, '--json'], root);
    expect(evaluated.code).toBe(0);
    expect(JSON.parse(evaluated.stdout).count).toBe(8);
  });

  it('names the folder that lacks the batch files, with exit 2 and one line', () => {
    mkdirSync(join(root, 'empty'), { recursive: true });
    const r = frugalSync(['train', recipe, '--run-dir', join(root, 'runs', 'empty'), ...sets([`data.params.dir=${join(root, 'empty')}`, ...short])], root);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain(`cifar10: "${join(root, 'empty')}" does not hold data_batch_1.bin, data_batch_2.bin, data_batch_3.bin, data_batch_4.bin, data_batch_5.bin, test_batch.bin`);
  });
});
