import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, bin, frugalSync, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-cli-'));
const frugal = (args: string[]) => frugalSync(args, root);
const recipe = (epochs: number, extra: Record<string, unknown> = {}) => barsRecipe(root, epochs, extra);

beforeAll(async () => {
  requireBuiltCli();
  await writeBarsFolder(join(root, 'train'), 8, 0);
  await writeBarsFolder(join(root, 'test'), 4, 5);
  writeFileSync(join(root, 'bars.json'), JSON.stringify(recipe(4)));
  mkdirSync(join(root, 'notes'));
  writeFileSync(join(root, 'notes', 'readme.txt'), 'no images here\n');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('frugal (the binary)', () => {
  it('trains, evaluates and predicts', () => {
    const train = frugal(['train', 'bars.json', '--json']);
    expect(train.stderr).not.toMatch(/Error:/);
    expect(train.code).toBe(0);
    const result = JSON.parse(train.stdout);
    const runDir = join(root, 'runs', 'bars');
    expect(result.runDir).toBe(runDir);
    for (const f of ['recipe.json', 'metrics.jsonl', 'model/model.json', 'report.html', 'plots/curves.svg', 'plots/confusion.png']) {
      expect(existsSync(join(runDir, f)), f).toBe(true);
    }
    const evaluation = frugal(['eval', runDir, '--data', join(root, 'test'), '--json']);
    expect(evaluation.code).toBe(0);
    expect(JSON.parse(evaluation.stdout).accuracy).toBe(result.accuracy);
    const human = frugal(['eval', runDir]);
    expect(human.stdout).toMatch(/Accuracy: [\d.]+% on 12 images/);
    expect(human.stdout).toMatch(/Confusion matrix:/);
    const predict = frugal(['predict', runDir, join(root, 'test', 'left', '0.png'), '--top', '2', '--json']);
    expect(predict.code).toBe(0);
    const [first] = JSON.parse(predict.stdout);
    expect(first.top).toHaveLength(2);
    expect(first.top[0].probability).toBeGreaterThanOrEqual(first.top[1].probability);
  });

  it('fits images of any shape to the model as its training images were fitted, in predict, eval and label alike', async () => {
    writeFileSync(join(root, 'fit.json'), JSON.stringify({ ...recipe(4), name: 'fit' }));
    expect(frugal(['train', 'fit.json', '--quiet']).code).toBe(0);
    const runDir = join(root, 'runs', 'fit');
    const card = JSON.parse(readFileSync(join(runDir, 'model', 'frugal.json'), 'utf8'));
    expect(card.decode).toEqual({ resize: 'exact', kernel: 'lanczos3' });
    // The test images three times as wide: the recipe's `resize: exact` squeezes them back to the bars
    // it trained on; a centre crop would show only the middle band.
    const wide = join(root, 'wide');
    const images: string[] = [];
    for (const name of ['left', 'middle', 'right']) {
      for (const file of readdirSync(join(root, 'test', name))) {
        mkdirSync(join(wide, name), { recursive: true });
        images.push(join(wide, name, file));
        await sharp(join(root, 'test', name, file)).resize(36, 12, { fit: 'fill', kernel: 'nearest' }).toFile(join(wide, name, file));
      }
    }
    const predicted = (files: string[]) => {
      const result = frugal(['predict', runDir, ...files, '--top', '1', '--json']);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { top: { className: string; probability: number }[] }[]).map((r) => r.top[0]!);
    };
    const [narrow, widened] = [predicted(images.map((f) => f.replace(wide, join(root, 'test')))), predicted(images)];
    // A folder stands for every image under it.
    const folder = frugal(['predict', runDir, wide, '--top', '1', '--json']);
    expect(folder.code, folder.stderr).toBe(0);
    const byImage = new Map((JSON.parse(folder.stdout) as { image: string; top: { className: string }[] }[]).map((r) => [r.image, r.top[0]!.className]));
    expect(images.map((f) => byImage.get(f))).toEqual(widened.map((t) => t.className));
    // A folder's image that cannot be decoded is skipped, and said; named on its own, it is refused.
    const broken = join(wide, 'left', 'broken.png');
    writeFileSync(broken, 'not a png');
    const skipping = frugal(['predict', runDir, wide, '--top', '1', '--json']);
    expect(skipping.code, skipping.stderr).toBe(0);
    expect(JSON.parse(skipping.stdout)).toHaveLength(images.length);
    expect(skipping.stderr).toMatch(/Skipped image ".*broken\.png": it could not be decoded \(.+\)/);
    const named = frugal(['predict', runDir, broken]);
    expect(named.code).toBe(2);
    expect(named.stderr).toMatch(/^frugal: Image .*broken\.png could not be decoded \(.+\); check that it is an image file\n$/);
    rmSync(broken);
    expect(widened.map((t) => t.className)).toEqual(narrow.map((t) => t.className));
    for (const [i, t] of widened.entries()) expect(Math.abs(t.probability - narrow[i]!.probability)).toBeLessThan(0.05);
    const accuracy = (data: string, ...flags: string[]) => JSON.parse(frugal(['eval', runDir, '--data', data, '--json', ...flags]).stdout).accuracy;
    expect(accuracy(wide)).toBe(accuracy(join(root, 'test')));
    expect(accuracy(wide, '--decode-threads', '2', '--batch-size', '4', '--shard-size', '4')).toBe(accuracy(wide));
    // A class folder none of whose images can be read is refused, not scored as a class with no images.
    const unreadable = join(root, 'unreadable');
    cpSync(join(root, 'test', 'middle'), join(unreadable, 'middle'), { recursive: true });
    mkdirSync(join(unreadable, 'left'));
    writeFileSync(join(unreadable, 'left', 'broken.png'), 'not a png');
    const refused = frugal(['eval', runDir, '--data', unreadable]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`frugal: Class folder "${join(unreadable, 'left')}" has no readable images (its one image was skipped); remove the folder, or put readable images in it`);
    const label = frugal(['label', '--teacher', runDir, '--unlabelled', wide, '--out', join(root, 'wide.jsonl'), '--json']);
    expect(label.code, label.stderr).toBe(0);
    const lines = readFileSync(join(root, 'wide.jsonl'), 'utf8').trim().split('\n');
    const labelled = new Map(lines.map((line) => JSON.parse(line) as { file: string; class: string; confidence: number }).map((l) => [l.file, l]));
    for (const [i, file] of images.entries()) {
      const l = labelled.get(file.slice(wide.length + 1))!;
      expect(l.class).toBe(widened[i]!.className);
      expect(l.confidence).toBeCloseTo(widened[i]!.probability, 5);
    }
  });

  it('resumes a run killed with SIGKILL mid-training, losing at most the epoch in progress', async () => {
    const file = join(root, 'long.json');
    writeFileSync(file, JSON.stringify({ ...recipe(12), name: 'long' }));
    const runDir = join(root, 'runs', 'long');
    const child = spawn(process.execPath, [bin, 'train', file, '--quiet'], { cwd: root });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const latest = join(runDir, 'checkpoints', 'latest.json');
        if (existsSync(latest) && readFileSync(latest, 'utf8').includes('epoch-0002')) {
          clearInterval(timer);
          child.kill('SIGKILL');
          resolve();
        }
      }, 50);
      child.on('exit', () => {
        clearInterval(timer);
        reject(new Error('training ended before it could be killed'));
      });
    });
    await new Promise((r) => child.once('exit', r));
    const epochsBefore = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').length;
    expect(epochsBefore).toBeGreaterThanOrEqual(2);
    const resumed = frugal(['train', '--resume', runDir, '--json']);
    expect(resumed.code).toBe(0);
    const checkpoints = readdirSync(join(runDir, 'checkpoints')).filter((f) => f.startsWith('epoch-'));
    expect(checkpoints.at(-1)).toMatch(/^epoch-0012-/);
    // Every epoch's line once: those written after the checkpoint the run resumed from are written again, not twice.
    const epochs = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { epoch: number }).epoch);
    expect(epochs).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it.each([
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['train', 'bars.json', '--colour'], /unknown option '--colour'/],
    [['train', 'missing.yaml'], /^frugal: Recipe file missing\.yaml does not exist; give a recipe file \(\.yaml or \.json\)\n$/],
    [['eval', join(root, 'nowhere')], /nowhere does not exist; give a run directory written by frugal train or a model folder written by frugal convert/],
    [['predict', join(root, 'runs', 'bars'), join(root, 'nowhere.png')], /^frugal: Image .*nowhere\.png does not exist\n$/],
    [['predict', join(root, 'runs', 'bars'), '/dev/zero'], /^frugal: Image \/dev\/zero is not a regular file \(a device, a pipe or a socket\); give an image file\n$/],
    [['predict', join(root, 'runs', 'bars'), join(root, 'notes')], /^frugal: Folder .*notes holds no images \(jpg, png, webp, gif, tiff, avif\); give image files or a folder of them\n$/],
  ])('rejects bad input %j with exit code 2 and one clear line', (args, message) => {
    const r = frugal(args as string[]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the bad recipe field, the missing data folder and the class-count mismatch', () => {
    writeFileSync(join(root, 'bad-field.json'), JSON.stringify({ ...recipe(1), train: { epochs: 0 } }));
    const field = frugal(['train', 'bad-field.json']);
    expect(field.code).toBe(2);
    expect(field.stderr).toMatch(/recipe\.train\.epochs: got 0; expected number to be >=1/);

    const noData = recipe(1, { name: 'nodata' }) as { data: { params: Record<string, unknown> } };
    noData.data.params.dir = join(root, 'no-such-folder');
    writeFileSync(join(root, 'no-data.json'), JSON.stringify(noData));
    const missing = frugal(['train', 'no-data.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no-such-folder/);

    mkdirSync(join(root, 'two-classes', 'a'), { recursive: true });
    mkdirSync(join(root, 'two-classes', 'b'), { recursive: true });
    spawnSync('cp', [join(root, 'test', 'left', '0.png'), join(root, 'two-classes', 'a')]);
    spawnSync('cp', [join(root, 'test', 'right', '0.png'), join(root, 'two-classes', 'b')]);
    const mismatch = frugal(['eval', join(root, 'runs', 'bars'), '--data', join(root, 'two-classes')]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toMatch(/Folder "a" in ".*two-classes" is not a class of the model \(its classes: left, middle, right\); rename or remove it, or give one folder per class of the model \(3\)/);
  });

  it('trains with recipe fields set on the command line, and records them in the run\'s recipe', () => {
    const r = frugal(['train', 'bars.json', '--set', 'train.epochs=1', '--set', 'seed=3', '--set', 'augment=[{"op": "flip"}]', '--run-dir', 'runs/set', '--json']);
    expect(r.code).toBe(0);
    const recorded = JSON.parse(readFileSync(join(root, 'runs', 'set', 'recipe.json'), 'utf8'));
    expect(recorded).toMatchObject({ seed: 3, train: { epochs: 1 }, augment: [{ op: 'flip' }] });
    expect(readFileSync(join(root, 'runs', 'set', 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);

    const bad = frugal(['train', 'bars.json', '--set', 'train.epochs=0', '--run-dir', 'runs/set-bad']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^frugal: recipe\.train\.epochs: got 0; expected/);
    expect(existsSync(join(root, 'runs', 'set-bad'))).toBe(false);
  });

  it('does not overwrite a run directory without --force', () => {
    const again = frugal(['train', 'bars.json']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a run; resume it with --resume/);
  });

  it('lists registries with descriptions', () => {
    const r = frugal(['list', 'models', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).models.map((m: { name: string }) => m.name)).toContain('resnet20');
  });
});
