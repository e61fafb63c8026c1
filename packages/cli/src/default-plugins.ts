import type { FrugalPlugin } from '@frugal/core';
import { augment } from '@frugal/augment';
import { data } from '@frugal/data';
import { resnet } from '@frugal/models-resnet';
import { runtimeGpu } from '@frugal/runtime-gpu';

/** Every Frugal package's plugin: what the `frugal` command offers out of the box. */
export function defaultPlugins(): FrugalPlugin[] {
  return [runtimeGpu(), data(), augment(), resnet()];
}
