import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrugal } from '@frugal/core';
import { useCpu } from '@frugal/core/testing';
import { exportTorchWeights, resnet } from '@frugal/models-resnet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalSync, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-convert-preview-'));

beforeAll(async () => {
  requireBuiltCli();
  await writeBarsFolder(join(root, 'train'), 4, 0);
  await writeBarsFolder(join(root, 'test'), 2, 5);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('frugal convert and frugal preview (the binary)', () => {
  it('converts a safetensors state dict into a model directory with its model card', async () => {
    await useCpu();
    const frugal = createFrugal({ plugins: [resnet()] });
    const built = frugal.models.create('resnet20', { numClasses: 3, inputShape: [16, 16, 3] });
    writeFileSync(join(root, 'r20.safetensors'), exportTorchWeights(built.model));
    built.model.dispose();
    const r = frugalSync(['convert', 'r20.safetensors', '--model', 'resnet20', '--num-classes', '3', '--input-size', '16', '--out', 'conv/r20', '--backend', 'cpu'], root);
    expect(r.stderr).not.toMatch(/frugal:/);
    expect(r.code).toBe(0);
    for (const f of ['model.json', 'weights.bin', 'frugal.json']) expect(existsSync(join(root, 'conv', 'r20', f)), f).toBe(true);
    const card = JSON.parse(readFileSync(join(root, 'conv', 'r20', 'frugal.json'), 'utf8'));
    expect(card.inputShape).toEqual([16, 16, 3]);
    // CIFAR weights take their images whole: scaled to cover the input, no margin cropped.
    expect(card.decode).toEqual({ resize: 'shorter-side-crop', kernel: 'linear' });
  });

  it('predicts, evaluates and labels with the converted model folder as with a run', () => {
    const image = join('test', 'left', '0.png');
    const predict = frugalSync(['predict', 'conv/r20', image, '--top', '3', '--json'], root);
    expect(predict.code, predict.stderr).toBe(0);
    const [first] = JSON.parse(predict.stdout);
    expect(first.top.map((t: { className: string }) => t.className).sort()).toEqual(['0', '1', '2']);
    // The folder's classes (left, middle, right) are not the converted model's (0, 1, 2): matched in order, and said.
    const evaluation = frugalSync(['eval', 'conv/r20', '--data', 'test', '--json'], root);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(JSON.parse(evaluation.stdout).count).toBe(6);
    expect(evaluation.stderr).toMatch(/The class folders of "test" \(left, middle, right\) are not named as the model's classes \(0, 1, 2\); they are matched to them in order/);
    const label = frugalSync(['label', '--teacher', 'conv/r20', '--unlabelled', 'test', '--out', 'conv.jsonl', '--json'], root);
    expect(label.code, label.stderr).toBe(0);
    const lines = readFileSync(join(root, 'conv.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(6);
    const labelled = lines.find((l) => l.file === 'left/0.png');
    expect(labelled.confidence).toBeCloseTo(first.top[0].probability, 5);
    // A model folder has no recipe, so no test set of its own; a folder that holds no model is named.
    const noData = frugalSync(['eval', 'conv/r20'], root);
    expect([noData.code, noData.stderr.trim()]).toEqual([2, `frugal: conv/r20 is a model folder, not a run directory: it has no recipe, so no test set; pass --data DIR with a folder of labelled images`]);
    const missing = frugalSync(['predict', 'conv', image], root);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^frugal: conv has no trained model \(no frugal\.json there or in conv\/model\); give a run directory written by frugal train or a model folder written by frugal convert/);
  });

  it('names the classes from a text file, one a line, and refuses a file that does not name one a class', () => {
    writeFileSync(join(root, 'classes.txt'), 'tench\ngoldfish\r\n\n  great white shark  \n');
    const named = frugalSync(['convert', 'r20.safetensors', '--model', 'resnet20', '--class-names', 'classes.txt', '--input-size', '16', '--out', 'conv/named', '--backend', 'cpu'], root);
    expect(named.code, named.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'conv', 'named', 'frugal.json'), 'utf8')).classNames).toEqual(['tench', 'goldfish', 'great white shark']);
    const predict = frugalSync(['predict', 'conv/named', join('test', 'left', '0.png'), '--top', '3', '--json'], root);
    expect(predict.code, predict.stderr).toBe(0);
    expect(JSON.parse(predict.stdout)[0].top.map((t: { className: string }) => t.className).sort()).toEqual(['goldfish', 'great white shark', 'tench']);
    const bad = (args: string[]) => frugalSync(['convert', 'r20.safetensors', '--model', 'resnet20', '--input-size', '16', '--out', 'conv/bad', '--backend', 'cpu', ...args], root);
    const fewer = bad(['--class-names', 'classes.txt', '--num-classes', '4']);
    expect([fewer.code, fewer.stderr.trim()]).toEqual([2, 'frugal: --class-names: classes.txt names 3 classes; the head has 4 (--num-classes). Give one name a class']);
    const folder = bad(['--class-names', 'conv']);
    expect([folder.code, folder.stderr.trim()]).toEqual([2, 'frugal: --class-names: conv is not a file; give a text file with one class name a line']);
    writeFileSync(join(root, 'twice.txt'), 'cat\ndog\ncat\n');
    const twice = bad(['--class-names', 'twice.txt']);
    expect([twice.code, twice.stderr.trim()]).toEqual([2, 'frugal: --class-names: twice.txt names "cat" twice (classes 1 and 3); give each class a name of its own']);
    expect(existsSync(join(root, 'conv', 'bad'))).toBe(false);
  });

  it('says when the file\'s classifier is not loaded, for another class count: the head is untrained', () => {
    const r = frugalSync(['convert', 'r20.safetensors', '--model', 'resnet20', '--num-classes', '5', '--input-size', '16', '--out', 'conv/five', '--backend', 'cpu'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain(
      "The file's classifier was not loaded (class count differs: the file has 3 classes, the model 5): the model's head starts from random weights. " +
        `Train it before predicting with it: a recipe whose model.init is ${join(root, 'conv', 'five')}, or the transfer strategy with it as source`,
    );
    const same = frugalSync(['convert', 'r20.safetensors', '--model', 'resnet20', '--num-classes', '3', '--input-size', '16', '--out', 'conv/three', '--backend', 'cpu'], root);
    expect(same.code, same.stderr).toBe(0);
    expect(same.stderr).not.toContain('classifier');
  });

  it('writes the augmentation preview of a recipe', () => {
    writeFileSync(join(root, 'aug.json'), JSON.stringify(barsRecipe(root, 1, { augment: [{ op: 'rotate', degrees: 10 }] })));
    const r = frugalSync(['preview', 'aug.json', '--out', 'grid.png', '--images', '2', '--versions', '2'], root);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(root, 'grid.png')).subarray(1, 4).toString()).toBe('PNG');
  });

  it('--quiet silences TensorFlow.js too: the CPU backend\'s banner is not printed', () => {
    const preview = ['preview', 'aug.json', '--backend', 'cpu', '--images', '1', '--versions', '1', '--out', 'cpu.png'];
    const quiet = frugalSync([...preview, '--quiet'], root);
    expect(quiet.stderr).toBe('');
    expect(quiet.code).toBe(0);
    expect(frugalSync(preview, root).stderr).toMatch(/looks like you are running TensorFlow\.js in Node\.js/);
  });
});
