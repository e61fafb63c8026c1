import * as tf from '@tensorflow/tfjs-core';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInputError } from '../errors.js';
import { useCpu } from '../testing/index.js';
import { loadLatestCheckpoint, saveCheckpoint, type CheckpointState } from './checkpoint.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-checkpoint-'));
let n = 0;
const fresh = () => join(root, `c${n++}`);
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const state = (epoch: number, step: number): CheckpointState => ({ epoch, stepInEpoch: 0, step, history: [], callbacks: {} });
async function save(dir: string, epoch: number, step: number, keep = 2) {
  const w = tf.fill([2], epoch);
  const path = await saveCheckpoint(dir, state(epoch, step), { weights: [w], optimizers: [] }, keep);
  w.dispose();
  return path;
}

describe('checkpoints', () => {
  it('never prunes the checkpoint just written, even when older folders sort after it', async () => {
    const dir = fresh();
    mkdirSync(join(dir, 'epoch-0009-step-0000900'), { recursive: true });
    mkdirSync(join(dir, 'epoch-0008-step-0000800'), { recursive: true });
    const path = await save(dir, 1, 10);
    expect(readdirSync(dir)).toContain('epoch-0001-step-0000010');
    const found = await loadLatestCheckpoint(dir);
    expect(found?.path).toBe(path);
    found?.tensors.weights.forEach((t) => t.dispose());
  });

  it('falls back to the newest intact checkpoint when the latest is truncated or missing', async () => {
    const dir = fresh();
    await save(dir, 1, 10);
    const newest = await save(dir, 2, 20);
    truncateSync(join(newest, 'tensors.bin'), 3);
    const found = await loadLatestCheckpoint(dir);
    expect(found?.state.epoch).toBe(1);
    expect(found?.skipped.join()).toMatch(/epoch-0002-step-0000020 is unreadable/);
    found?.tensors.weights.forEach((t) => t.dispose());
    rmSync(newest, { recursive: true });
    const again = await loadLatestCheckpoint(dir);
    expect(again?.state.epoch).toBe(1);
    again?.tensors.weights.forEach((t) => t.dispose());
  });

  it('passes over a checkpoint whose state.json holds impossible positions, naming the field', async () => {
    const dir = fresh();
    await save(dir, 1, 10);
    const newest = await save(dir, 2, 20);
    const edit = (fields: object) => writeFileSync(join(newest, 'state.json'), JSON.stringify({ ...state(2, 20), optimizerSteps: [], format: 'frugal-checkpoint/1', ...fields }));
    for (const [fields, message] of [
      [{ epoch: -5 }, /state\.json\.epoch: got -5; expected number to be >=0/],
      [{ epoch: 1.5 }, /state\.json\.epoch: got 1\.5/],
      [{ history: 'x' }, /state\.json\.history: got "x"/],
      [{ optimizerSteps: [-7] }, /state\.json\.optimizerSteps\[0\]: got -7/],
    ] as const) {
      edit(fields);
      const found = await loadLatestCheckpoint(dir);
      expect(found?.state.epoch).toBe(1);
      expect(found?.skipped.join()).toMatch(message);
      found?.tensors.weights.forEach((t) => t.dispose());
    }
  });

  it('refuses a latest.json that points outside the checkpoint folder, directly or through a symlink', async () => {
    const dir = fresh();
    await save(dir, 1, 10);
    writeFileSync(join(dir, 'latest.json'), JSON.stringify({ checkpoint: '../../../elsewhere' }));
    const error = await loadLatestCheckpoint(dir).catch((e: Error) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(/latest\.json names the checkpoint "\.\.\/\.\.\/\.\.\/elsewhere", which is not a checkpoint folder/);

    const outside = fresh();
    await save(outside, 5, 50);
    symlinkSync(join(outside, 'epoch-0005-step-0000050'), join(dir, 'epoch-0007-step-0000070'));
    writeFileSync(join(dir, 'latest.json'), JSON.stringify({ checkpoint: 'epoch-0007-step-0000070' }));
    const escaped = await loadLatestCheckpoint(dir).catch((e: Error) => e);
    expect(isInputError(escaped)).toBe(true);
    expect((escaped as Error).message).toMatch(/outside .*; a checkpoint must lie inside its folder/);
  });

  it('says what to do when no checkpoint can be read', async () => {
    const dir = fresh();
    const only = await save(dir, 1, 10);
    truncateSync(join(only, 'tensors.bin'), 1);
    await expect(loadLatestCheckpoint(dir)).rejects.toThrow(/No checkpoint in .* can be read: .*Start the run over with --force/);
  });
});
