import { createFrugal } from '@frugal/core';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { standardPlugins } from './index.js';

const packages = join(import.meta.dirname, '..', '..');

/** Workspace packages that hold no plugin of their own, and why. */
const NOT_PLUGINS: Record<string, string> = {
  '@frugal/core': 'the contract itself (its built-ins load with every instance)',
  '@frugal/cli': 'the command, which loads this preset',
  '@frugal/preset-standard': 'this preset',
  '@frugal/torch-compat': 'building blocks for model families',
  '@frugal/runtime-native': 'a backend that @frugal/runtime-gpu registers when it is installed',
  '@frugal/active-learning': 'the choice of images to label next, which frugal suggest calls: no registry entry',
};

describe('standardPlugins', () => {
  it('holds the plugin of every first-party plugin package, once', () => {
    const names = standardPlugins().map((p) => p.name);
    const workspace = readdirSync(packages)
      .map((dir) => JSON.parse(readFileSync(join(packages, dir, 'package.json'), 'utf8')) as { name: string; private?: boolean })
      .filter((p) => !p.private && !(p.name in NOT_PLUGINS))
      .map((p) => p.name);
    expect([...names].sort()).toEqual(workspace.sort());
    expect(new Set(names).size).toBe(names.length);
  });

  it('loads as a preset and registers entries in every registry but callbacks beyond core', () => {
    const frugal = createFrugal({ plugins: [standardPlugins()] });
    expect(frugal.plugins.map((p) => p.name)).toEqual(['@frugal/core', ...standardPlugins().map((p) => p.name)]);
    for (const [registry, example] of [
      [frugal.models, 'resnet18'],
      [frugal.augmentations, 'rand-augment'],
      [frugal.strategies, 'fixmatch'],
      [frugal.datasets, 'mnist'],
      [frugal.backends, 'wasm'],
    ] as const) {
      expect(registry.has(example), example).toBe(true);
    }
  });
});

describe('README example', () => {
  it('runs', () => {
    const frugal = createFrugal({ plugins: [standardPlugins()], seed: 0 });
    expect([frugal.models.has('resnet20'), frugal.strategies.has('fixmatch')]).toEqual([true, true]);
  });
});
