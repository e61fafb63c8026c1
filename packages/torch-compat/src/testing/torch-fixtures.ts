import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs-core';
import { SafetensorsFile } from '../weights/safetensors.js';

/**
 * Parity fixtures written by `tools/fixtures/torchvision_fixtures.py`: a torchvision model's
 * weights (`MODEL-seedN.weights.safetensors`) and its eval-mode outputs on a random input
 * (`MODEL-seedN.io.safetensors`). They are looked up in `$FRUGAL_FIXTURES` and in the
 * workspace's `../shared/fixtures/torchvision`.
 */
export interface TorchFixture {
  readonly model: string;
  readonly weights: string;
  readonly io: string;
}

export const FIXTURES_HINT =
  'Write them with: /usr/bin/python3 tools/fixtures/torchvision_fixtures.py --out DIR --models MODEL ' +
  '(needs python3-torchvision), then run the tests with FRUGAL_FIXTURES=DIR.';

/** The directories searched, in order: `$FRUGAL_FIXTURES`, then `<repo>/../shared/fixtures/torchvision`. */
export function fixtureDirs(): string[] {
  const here = dirname(fileURLToPath(import.meta.url));
  // src/testing or dist/testing -> package -> packages -> repository root
  const repo = resolve(here, '..', '..', '..', '..');
  const dirs = [process.env['FRUGAL_FIXTURES'], join(repo, '..', 'shared', 'fixtures', 'torchvision')];
  return dirs.filter((d): d is string => !!d && existsSync(d));
}

/** Every fixture of `model` found (one per seed and directory). */
export function findTorchFixtures(model: string): TorchFixture[] {
  const found: TorchFixture[] = [];
  for (const dir of fixtureDirs()) {
    for (const file of readdirSync(dir).sort()) {
      const match = /^(.+)-seed(\d+)\.weights\.safetensors$/.exec(file);
      if (!match || match[1] !== model) continue;
      const io = join(dir, file.replace('.weights.', '.io.'));
      if (existsSync(io)) found.push({ model, weights: join(dir, file), io });
    }
  }
  return found;
}

/** Model names that have fixtures in `$FRUGAL_FIXTURES` or the shared directory. */
export function fixtureModels(): string[] {
  const names = new Set<string>();
  for (const dir of fixtureDirs()) {
    for (const file of readdirSync(dir)) {
      const match = /^(.+)-seed\d+\.weights\.safetensors$/.exec(file);
      if (match) names.add(match[1] as string);
    }
  }
  return [...names].sort();
}

/** The fixture's input as NHWC and its reference outputs by name. */
export function readFixtureIO(fixture: TorchFixture): { input: tf.Tensor4D; outputs: Map<string, tf.Tensor> } {
  const file = SafetensorsFile.read(fixture.io);
  const x = file.read('input_nchw');
  const input = tf.tidy(() => tf.transpose(tf.tensor4d(x.data, x.shape as [number, number, number, number]), [0, 2, 3, 1]));
  const outputs = new Map<string, tf.Tensor>();
  for (const name of file.names()) {
    if (name === 'input_nchw') continue;
    const t = file.read(name);
    outputs.set(name, tf.tensor(t.data, [...t.shape]));
  }
  return { input, outputs };
}

/** ‖out − ref‖ / ‖ref‖. */
export function relativeError(out: tf.Tensor, ref: tf.Tensor): number {
  return tf.tidy(() => tf.norm(tf.sub(out, ref)).dataSync()[0]! / tf.norm(ref).dataSync()[0]!);
}
