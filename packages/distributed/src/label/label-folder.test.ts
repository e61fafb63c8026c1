import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng, saveModel } from '@frugal/core';
import { tinyConvNet, useCpu } from '@frugal/core/testing';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelFolder } from './label-folder.js';

let root: string;
let teacherDir: string;
let unlabelledDir: string;

beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'frugal-label-folder-'));
  teacherDir = join(root, 'teacher');
  const model = tinyConvNet(2, [8, 8, 1], new Rng(1));
  await saveModel(model, join(teacherDir, 'model'), { model: 'tiny', classNames: ['a', 'b'], inputShape: [8, 8, 1], normalization: { mean: [0.5], std: [0.25] } });
  model.dispose();
  unlabelledDir = join(root, 'unlabelled');
  mkdirSync(unlabelledDir);
  for (let i = 0; i < 12; i++) {
    const px = Uint8Array.from({ length: 64 }, (_, p) => (p * 7 + i * 31) % 256);
    await sharp(px, { raw: { width: 8, height: 8, channels: 1 } }).png().toFile(join(unlabelledDir, `u${String(i).padStart(2, '0')}.png`));
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('labelFolder', () => {
  it('stops after the shard it is labelling when its signal is aborted, keeps the shards stored, and labels the rest when called again', async () => {
    const options = { teacherDir, unlabelledDir, batchSize: 2, shardSize: 4 };
    const straight = await labelFolder({ ...options, outFile: join(root, 'straight.jsonl') });
    expect(straight).toMatchObject({ images: 12, labelled: 12, shards: 3, joined: true });

    const outFile = join(root, 'interrupted.jsonl');
    const controller = new AbortController();
    const stopped = await labelFolder({ ...options, outFile, signal: controller.signal, onProgress: (done) => done >= 4 && controller.abort() });
    expect(stopped).toMatchObject({ images: 12, labelled: 4, joined: false });
    expect(existsSync(outFile)).toBe(false);
    const rest = await labelFolder({ ...options, outFile });
    expect(rest).toMatchObject({ labelled: 12, joined: true });
    expect(readFileSync(outFile, 'utf8')).toBe(readFileSync(join(root, 'straight.jsonl'), 'utf8'));
  });
});
