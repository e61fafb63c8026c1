import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subset, type FrugalPlugin, type ImageSet } from '@frugal/core';
import { loadMnist } from '@frugal/data';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { demoLadder } from '../demo/ladder.js';
import { createOutput } from '../output.js';
import { parseLadder, runLadder } from './run-ladder.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-leak-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * The embedded digits with 10 labelled per class as the training set and every 20th other digit as
 * unlabelled, whose labels are kept (true) or all shifted by one class (`shifted`): what a rung
 * may never read.
 */
function digitsWithHiddenLabels(): FrugalPlugin {
  return {
    name: 'label-leak-check',
    register(r) {
      r.dataset({
        name: 'digits-hidden-labels',
        description: 'embedded digits: 10 labelled per class, the rest unlabelled with their labels true or shifted',
        params: z.strictObject({ shifted: z.boolean() }),
        factory: async ({ shifted }) => {
          const mnist = await loadMnist({ testPerClass: 10 });
          const labelled: number[] = [];
          const rest: number[] = [];
          const seen = new Array<number>(10).fill(0);
          mnist.train.labels.forEach((label, i) => ((seen[label] as number)++ < 10 ? labelled : rest).push(i));
          const hidden: ImageSet = subset(mnist.train, rest.filter((_, k) => k % 20 === 0));
          const labels = shifted ? hidden.labels.map((l) => (l + 1) % 10) : hidden.labels;
          return { ...mnist, name: 'digits-hidden-labels', train: subset(mnist.train, labelled), unlabelled: { ...hidden, labels } };
        },
      });
    },
  };
}

/**
 * Every rung of the demo, plus pseudo-labelling, Noisy Student, CoMatch and co-training (its second
 * network from the first rung's), with a validation set and early stopping; the ladder runs in `dir`.
 */
function leakLadder(shifted: boolean, dir: string) {
  const ladder = demoLadder({ labelledPerClass: 10, seed: 0, quick: true });
  const pseudo = { confidenceThreshold: 0, teacherEpochs: 1, stepsPerEpoch: 2 };
  return {
    ...ladder,
    data: { dataset: 'digits-hidden-labels', params: { shifted }, labelledPerClass: 8, validationPerClass: 2 },
    rungs: [
      ...ladder.rungs.map((r) => (r.name === 'augmentation' ? { ...r, train: { ...r.train, earlyStoppingPatience: 1 } } : r)),
      { name: 'pseudo-label', strategy: { name: 'pseudo-label', params: pseudo }, train: { epochs: 1 } },
      { name: 'noisy-student', strategy: { name: 'noisy-student', params: { ...pseudo, iterations: 1 } }, train: { epochs: 1 } },
      { name: 'comatch', strategy: { name: 'comatch', params: { stepsPerEpoch: 3, unlabelledRatio: 2, memorySize: 32, projectionDim: 8 } }, train: { epochs: 1 } },
      {
        name: 'co-training',
        start: 'fixmatch',
        strategy: { name: 'co-training', params: { stepsPerEpoch: 3, unlabelledRatio: 2, peerInit: join(dir, '1-supervised') } },
        train: { epochs: 1 },
      },
    ],
  };
}

describe('a ladder', () => {
  it('reads no label but the labelled images\': every rung the same, whatever the unlabelled images\' labels', async () => {
    const climb = async (shifted: boolean) => {
      const dir = join(root, shifted ? 'shifted' : 'true');
      const { runs } = await runLadder(parseLadder(leakLadder(shifted, dir), 'leak'), { root: dir, seeds: [0], backend: 'auto', file: 'leak', extra: [digitsWithHiddenLabels()], out: createOutput({ quiet: true }) });
      return runs.map((r) => ({ ...r, weights: readFileSync(join(dir, r.dir, 'model', 'weights.bin')).toString('base64') }));
    };
    const withTrueLabels = await climb(false);
    const withShiftedLabels = await climb(true);
    expect(withTrueLabels.map((r) => r.rung)).toEqual(['supervised', 'augmentation', 'transfer', 'fixmatch', 'distillation', 'pseudo-label', 'noisy-student', 'comatch', 'co-training']);
    for (const r of withTrueLabels) expect(r.labels).toBe(80); // and 20 for validation: the 100 labels
    expect(withTrueLabels.find((r) => r.rung === 'fixmatch')?.unlabelled).toBe(490);
    const numbers = (runs: typeof withTrueLabels) => runs.map((r) => [r.rung, r.accuracy, r.labels, r.unlabelled, r.weights]);
    expect(numbers(withShiftedLabels)).toEqual(numbers(withTrueLabels));
  }, 240_000);
});
