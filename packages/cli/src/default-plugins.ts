import type { FrugalPlugin } from '@frugal/core';
import { standardPlugins } from '@frugal/preset-standard';

/** Every Frugal package's plugin: what the `frugal` command offers out of the box (the standard preset). */
export function defaultPlugins(): FrugalPlugin[] {
  return standardPlugins();
}
