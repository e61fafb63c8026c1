import type { FrugalPlugin } from '@frugal/core';
import { augment } from '@frugal/augment';
import { data } from '@frugal/data';
import { distill } from '@frugal/distill';
import { inception } from '@frugal/models-inception';
import { resnet } from '@frugal/models-resnet';
import { runtimeGpu } from '@frugal/runtime-gpu';
import { semiSupervised } from '@frugal/semi-supervised';
import { transfer } from '@frugal/transfer';

/** Every Frugal package's plugin: what the `frugal` command offers out of the box. */
export function defaultPlugins(): FrugalPlugin[] {
  return [runtimeGpu(), data(), augment(), resnet(), inception(), transfer(), distill(), semiSupervised()];
}
