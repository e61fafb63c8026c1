import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { tinyConvNet, useCpu } from '../testing/index.js';
import { isInputError } from '../errors.js';
import { fileHandler } from './file-handler.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-io-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('fileHandler', () => {
  it('saves a model to a directory and loads it back with the same outputs', async () => {
    const model = tinyConvNet(3, [8, 8, 1], new Rng(1), 0.3);
    const dir = join(root, 'model');
    await model.save(fileHandler(dir));
    expect(readdirSync(dir).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await tfl.loadLayersModel(fileHandler(dir));
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 3);
    expect(Array.from((loaded.predict(x) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(x) as tf.Tensor).dataSync()));
    expect(readdirSync(root).filter((f) => f.includes('.tmp'))).toEqual([]);
  });

  it('refuses to overwrite unless asked, and then replaces atomically', async () => {
    const model = tinyConvNet(3, [8, 8, 1], new Rng(2));
    const dir = join(root, 'twice');
    await model.save(fileHandler(dir));
    await expect(model.save(fileHandler(dir))).rejects.toThrow(/already exists; refusing to overwrite/);
    await model.save(fileHandler(dir, { overwrite: true }));
    expect(existsSync(join(dir, 'model.json'))).toBe(true);
  });

  it.each([
    ['a parent path', '../outside.bin'],
    ['an absolute path', '/etc/passwd'],
    ['a nested escape', 'sub/../../outside.bin'],
  ])('refuses a model.json whose weights use %s', async (_what, path) => {
    const dir = join(root, `evil-${Math.random().toString(36).slice(2)}`);
    mkdirSync(dir);
    const model = tinyConvNet(3, [8, 8, 1], new Rng(3));
    const good = join(root, `good-${Math.random().toString(36).slice(2)}`);
    await model.save(fileHandler(good));
    const json = JSON.parse(readFileSync(join(good, 'model.json'), 'utf8'));
    json.weightsManifest[0].paths = [path];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    await expect(tfl.loadLayersModel(fileHandler(dir))).rejects.toThrow(
      `names the weight file "${path}", which lies outside its directory`,
    );
  });

  it('says what is wrong with a directory that holds no model', async () => {
    await expect(tfl.loadLayersModel(fileHandler(join(root, 'nothing')))).rejects.toThrow(/model\.json does not exist; is .* a saved model directory\?/);
  });

  /** A saved tiny model, then `damage` applied to its folder; returns the folder. */
  async function damaged(damage: (dir: string, json: Record<string, unknown>) => void): Promise<string> {
    const dir = join(root, `damaged-${Math.random().toString(36).slice(2)}`);
    await tinyConvNet(3, [8, 8, 1], new Rng(4)).save(fileHandler(dir));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    damage(dir, json);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    return dir;
  }

  it.each([
    ['no weightsManifest', (_d: string, j: Record<string, unknown>) => delete j.weightsManifest, /has no weightsManifest .*Save or convert the model again/],
    ['a weightsManifest that is an object', (_d: string, j: Record<string, unknown>) => (j.weightsManifest = { paths: ['weights.bin'] }), /has no weightsManifest/],
    ['a manifest entry without paths', (_d: string, j: Record<string, unknown>) => (j.weightsManifest = [{ weights: [] }]), /each weightsManifest entry needs "paths" and "weights" lists/],
    ['weights shorter than the manifest', (d: string) => truncateSync(join(d, 'weights.bin'), 99), /The weight files of .*model\.json \(.*weights\.bin\) hold 99 bytes; its weightsManifest needs \d+/],
    ['a weight of unknown dtype', (_d: string, j: Record<string, unknown>) => (((j.weightsManifest as { weights: { dtype: string }[] }[])[0]!.weights[0]!.dtype = 'float128')), /has the unknown dtype "float128"/],
    ['a weight of absurd shape', (_d: string, j: Record<string, unknown>) => (((j.weightsManifest as { weights: { shape: number[] }[] }[])[0]!.weights[0]!.shape = [1e9, 1e9])), /is too large/],
    ['a weight file linked to one outside the folder', (d: string) => {
      writeFileSync(join(root, 'secret.bin'), new Uint8Array(readFileSync(join(d, 'weights.bin')).byteLength));
      rmSync(join(d, 'weights.bin'));
      symlinkSync(join(root, 'secret.bin'), join(d, 'weights.bin'));
    }, /names the weight file "weights\.bin", which lies outside its directory/],
  ])('refuses a model folder with %s, as an input error', async (_what, damage, message) => {
    const dir = await damaged(damage);
    const error = await tfl.loadLayersModel(fileHandler(dir)).catch((e: Error) => e);
    expect(isInputError(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
