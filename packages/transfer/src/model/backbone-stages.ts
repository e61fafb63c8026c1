import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { layerVariables } from './replace-head.js';

type Layer = LayersModel['layers'][number];

/** A run of backbone layers that is unfrozen and given a learning rate as one. */
export interface Stage {
  readonly name: string;
  readonly layers: readonly Layer[];
  readonly variables: readonly tf.Variable[];
}

/**
 * How stage names are read from layer names by default: torchvision/timm module paths
 * (`layer3_1_conv2` -> `layer3`), and the usual `stage2`, `block4`, `inception4a`, `mixed5b`.
 */
export const DEFAULT_STAGE_PATTERN = /^(layer\d+|stage\d+|block\d+|inception\d+[a-z]?|mixed_?\d+[a-z]?)(?:[_/]|$)/;

function hasKernel(layer: Layer): boolean {
  return layer.trainableWeights.some((w) => w.shape.length >= 2);
}

/**
 * The backbone's layers grouped into stages, bottom (input side) first, each with its trainable
 * variables. Layers whose names match `pattern` (its first group, or the whole match) belong to
 * that stage; layers before the first match form `stem`; others join the stage before them (in
 * the graph's order). When no layer name matches, every layer with a kernel (convolution, dense)
 * starts a stage of its own, with the normalisation layers after it.
 * Stages without trainable variables are left out.
 */
export function backboneStages(backbone: LayersModel, pattern: RegExp = DEFAULT_STAGE_PATTERN): Stage[] {
  const named = backbone.layers.some((l) => pattern.test(l.name));
  const groups: { name: string; layers: Layer[] }[] = [];
  for (const layer of backbone.layers) {
    let name: string | undefined;
    if (named) {
      const match = pattern.exec(layer.name);
      name = match ? (match[1] ?? match[0]) : groups.length ? undefined : 'stem';
    } else if (hasKernel(layer) || !groups.length) {
      name = hasKernel(layer) ? layer.name : 'stem';
    }
    const group = name === undefined ? groups[groups.length - 1] : groups.find((g) => g.name === name);
    if (group) group.layers.push(layer);
    else groups.push({ name: name ?? 'stem', layers: [layer] });
  }
  return groups
    .map((g) => ({ name: g.name, layers: g.layers, variables: layerVariables(g.layers) }))
    .filter((s) => s.variables.length > 0);
}
