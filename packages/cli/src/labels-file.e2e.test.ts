import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalSync, oneCleanLine, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

// The few-labels guide's own case: a folder of images in no class folders, and a spreadsheet
// labelling a few of them; the rest are the unlabelled images.
const root = mkdtempSync(join(tmpdir(), 'frugal-labels-file-'));

beforeAll(async () => {
  requireBuiltCli();
  await writeBarsFolder(join(root, 'by-class'), 8, 4);
  await writeBarsFolder(join(root, 'test'), 3, 9);
  // Flattened, as a camera or an export leaves them: shots/<class>-<i>.png.
  mkdirSync(join(root, 'shots'), { recursive: true });
  const rows = ['file,class'];
  for (const name of readdirSync(join(root, 'by-class'))) {
    for (const image of readdirSync(join(root, 'by-class', name))) {
      copyFileSync(join(root, 'by-class', name, image), join(root, 'shots', `${name}-${image}`));
      if (image === '0.png' || image === '1.png') rows.push(`${name}-${image},${name}`);
    }
  }
  writeFileSync(join(root, 'labels.csv'), `${rows.join('\n')}\n`);
  // And a second file holding out one image of each class for testing, from the same folder.
  writeFileSync(join(root, 'test.csv'), 'file,class\nleft-7.png,left\nmiddle-7.png,middle\nright-7.png,right\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const recipe = (name: string, labels: string, strategy: Record<string, unknown>) => {
  const base = barsRecipe(root, 2, { name }) as { data: { params: Record<string, unknown> } };
  writeFileSync(
    join(root, `${name}.json`),
    JSON.stringify({ ...base, data: { dataset: 'image-folder', params: { ...base.data.params, dir: join(root, 'shots'), labels } }, strategy }),
  );
  return `${name}.json`;
};

describe('an image folder labelled by a CSV file (the binary)', () => {
  it('trains FixMatch on the images the file labels, the rest of the folder unlabelled', () => {
    const r = frugalSync(['train', recipe('fixmatch', 'labels.csv', { name: 'fixmatch', params: { stepsPerEpoch: 2, unlabelledRatio: 2 } })], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(`on 6 labelled images (+18 unlabelled, read from ${join(root, 'shots')} in batches), 3 classes`);
    const card = JSON.parse(readFileSync(join(root, 'runs', 'fixmatch', 'model', 'frugal.json'), 'utf8'));
    expect(card.classNames).toEqual(['left', 'middle', 'right']);
  });

  it('trains on the file frugal label wrote, every image of the folder labelled', () => {
    const label = frugalSync(['label', '--teacher', join(root, 'runs', 'fixmatch'), '--unlabelled', 'shots', '--out', 'all.jsonl'], root);
    expect(label.code, label.stderr).toBe(0);
    const r = frugalSync(['train', recipe('from-labels', 'all.jsonl', { name: 'supervised' })], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('on 24 labelled images, ');
  });

  it('tests on the images a second file holds out, which are then not among the unlabelled ones', () => {
    const name = recipe('held-out', 'labels.csv', { name: 'supervised' });
    const json = JSON.parse(readFileSync(join(root, name), 'utf8'));
    const { testDir: _testDir, ...params } = json.data.params;
    writeFileSync(join(root, name), JSON.stringify({ ...json, data: { ...json.data, params: { ...params, testLabels: 'test.csv' } }, strategy: { name: 'fixmatch', params: { stepsPerEpoch: 1 } } }));
    const r = frugalSync(['train', name], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain('on 6 labelled images (+15 unlabelled');
    expect(JSON.parse(readFileSync(join(root, 'runs', 'held-out', 'summary.json'), 'utf8')).data.test).toBe(3);
  });

  it('names the line of a row whose image the folder lacks, with exit 2 and one line', () => {
    writeFileSync(join(root, 'stale.csv'), 'file,class\nleft-0.png,left\nleft-99.png,left\n');
    const r = frugalSync(['train', recipe('stale', 'stale.csv', { name: 'supervised' })], root);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain(`stale.csv line 3: "left-99.png" is not an image in "${join(root, 'shots')}"`);
  });
});
