import type { FrugalPlugin } from '@frugal/core';
import { augment } from '@frugal/augment';
import { data } from '@frugal/data';
import { distill } from '@frugal/distill';
import { distributed } from '@frugal/distributed';
import { inception } from '@frugal/models-inception';
import { mobilenet } from '@frugal/models-mobilenet';
import { resnet } from '@frugal/models-resnet';
import { runtimeGpu } from '@frugal/runtime-gpu';
import { semiSupervised } from '@frugal/semi-supervised';
import { transfer } from '@frugal/transfer';

/**
 * Every first-party plugin, in the order they are loaded: backends, data, augmentations, models,
 * strategies. What the `frugal` command offers out of the box, what the recipes reference
 * documents; `createFrugal({ plugins: [standardPlugins()] })` (a preset is a list).
 */
export function standardPlugins(): FrugalPlugin[] {
  return [runtimeGpu(), data(), augment(), resnet(), inception(), mobilenet(), transfer(), distill(), semiSupervised(), distributed()];
}
