import { readIdx } from '@frugal/data';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frugalSync, requireBuiltCli } from './testing/e2e.js';

// A folder whose classes are uneven, as a user's often are: 20 Fashion-MNIST bags, sandals and
// trousers, and 2 sneakers, which look like sandals; the test folder has 50 of each.
const fashionMnist = '/usr/share/datasets/fashion-mnist';
const hasData = existsSync(fashionMnist);
const missing = hasData ? '' : ` (skipped: ${fashionMnist} is missing; apt-get install dataset-fashion-mnist)`;
const root = mkdtempSync(join(tmpdir(), 'frugal-balance-'));
const CLASSES: Record<number, string> = { 1: 'trouser', 5: 'sandal', 7: 'sneaker', 8: 'bag' };
const TRAIN: Record<string, number> = { trouser: 20, sandal: 20, sneaker: 2, bag: 20 };

async function writeSplit(images: string, labels: string, folder: string, perClass: (name: string) => number): Promise<void> {
  const [x, y] = [await readIdx(join(fashionMnist, images)), await readIdx(join(fashionMnist, labels))];
  const taken: Record<string, number> = {};
  for (let i = 0; i < y.data.length; i++) {
    const name = CLASSES[y.data[i] as number];
    if (!name || (taken[name] ?? 0) >= perClass(name)) continue;
    taken[name] = (taken[name] ?? 0) + 1;
    mkdirSync(join(root, folder, name), { recursive: true });
    const pixels = Buffer.from((x.data as Uint8Array).subarray(i * 784, (i + 1) * 784));
    await sharp(pixels, { raw: { width: 28, height: 28, channels: 1 } }).png().toFile(join(root, folder, name, `${i}.png`));
  }
}

beforeAll(async () => {
  requireBuiltCli();
  if (!hasData) return;
  await writeSplit('train-images-idx3-ubyte.gz', 'train-labels-idx1-ubyte.gz', 'train', (name) => TRAIN[name] as number);
  await writeSplit('t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz', 'test', () => 50);
  writeFileSync(
    join(root, 'uneven.yaml'),
    [
      'seed: 0',
      'data: { dataset: image-folder, params: { dir: train, testDir: test, size: 28, color: grayscale } }',
      'model: { name: resnet8, params: { widthMultiplier: 0.5 } }',
      'augment: [{ op: flip }, { op: pad-crop, padding: 2 }]',
      'train: { epochs: 15, batchSize: 16, optimizer: { name: adam, lr: 0.01 } }',
      '',
    ].join('\n'),
  );
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

function sneakerRecall(balanceClasses: boolean): { recall: number; stderr: string } {
  const run = join(root, 'runs', String(balanceClasses));
  const trained = frugalSync(['train', 'uneven.yaml', '--run-dir', run, '--set', `train.balanceClasses=${balanceClasses}`], root);
  expect(trained.code, trained.stderr).toBe(0);
  const evaluated = frugalSync(['eval', run, '--json'], root);
  const perClass = (JSON.parse(evaluated.stdout) as { perClass: { className: string; recall: number }[] }).perClass;
  return { recall: perClass.find((c) => c.className === 'sneaker')?.recall ?? NaN, stderr: trained.stderr };
}

describe.skipIf(!hasData)(`train.balanceClasses on a folder with a rare class${missing}`, () => {
  it('says the classes are uneven, and drawing them equally often teaches the rare one', () => {
    const plain = sneakerRecall(false);
    expect(plain.stderr).toContain('Note: the labelled classes are uneven, from 20 images of "bag" to 2 of "sneaker"; train.balanceClasses: true draws every class equally often');
    const balanced = sneakerRecall(true);
    expect(balanced.stderr).not.toContain('the labelled classes are uneven');
    // Two sneakers among 62 images: seen once an epoch, the network calls every test sneaker a
    // sandal; seen as often as each other class, it finds most of them.
    expect(plain.recall).toBeLessThan(0.2);
    expect(balanced.recall).toBeGreaterThan(plain.recall + 0.3);
  });
});
