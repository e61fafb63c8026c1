import { FrugalInputError, SeededDropout, seededInitializers, type Rng } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';
import { layers, model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';

type Layer = LayersModel['layers'][number];

export interface HeadOptions {
  readonly numClasses: number;
  /** Width of a hidden ReLU layer before the classifier; none when absent. */
  readonly hidden?: number;
  /** Dropout rate before the classifier (seeded per step). */
  readonly dropout?: number;
  /** The layer whose output the new head reads (the `BuiltModel` contract names it `features`). */
  readonly featuresLayer?: string;
}

/** A network whose classifier was replaced: the old backbone, a new head. */
export interface TransferModel {
  /** Images -> logits, for the new classes. */
  readonly model: LayersModel;
  /** Images -> features: the reused part of the source network (shares its layers with `model`). */
  readonly backbone: LayersModel;
  /** The new layers, input to output. */
  readonly headLayers: readonly Layer[];
  readonly featureDim: number;
  /** Runs the new head alone on a `[n, featureDim]` batch of features. */
  applyHead(features: tf.Tensor, training: boolean): tf.Tensor2D;
}

/** The variables of some layers, as the training loop's parameter groups take them. */
export function layerVariables(list: readonly { trainableWeights: { read(): tf.Tensor }[] }[]): tf.Variable[] {
  return list.flatMap((layer) => layer.trainableWeights.map((w) => w.read() as tf.Variable));
}

/**
 * Cuts `source` at its features layer and puts a new classifier for `numClasses` classes on top:
 * optionally a hidden ReLU layer, then seeded dropout, then a dense layer named `head`. The layers
 * below the cut are shared with `source` (same weights); the old classifier's weights are released.
 */
export function replaceHead(source: LayersModel, options: HeadOptions, rng: Rng): TransferModel {
  const featuresName = options.featuresLayer ?? 'features';
  let featuresLayer;
  try {
    featuresLayer = source.getLayer(featuresName);
  } catch {
    throw new FrugalInputError(
      `Model "${source.name}" has no layer named "${featuresName}". Transfer learning puts the new head on the layer whose output the ` +
        `classifier reads; name it "features" (the model contract) or give its name in the strategy's featuresLayer parameter.`,
    );
  }
  let features = featuresLayer.getOutputAt(0) as SymbolicTensor;
  const headLayers: Layer[] = [];
  if (features.shape.length > 2) {
    const flatten = layers.flatten({ name: 'head_flatten' });
    headLayers.push(flatten);
    features = flatten.apply(features) as SymbolicTensor;
  }
  const featureDim = features.shape[1];
  if (featureDim == null) throw new FrugalInputError(`The output of layer "${featuresName}" has no fixed width`);
  const init = seededInitializers(rng);
  let x = features;
  if (options.hidden) {
    const hidden = layers.dense({ units: options.hidden, activation: 'relu', name: 'head_hidden', kernelInitializer: init.heNormal() });
    headLayers.push(hidden);
    x = hidden.apply(x) as SymbolicTensor;
  }
  if (options.dropout) {
    const dropout = new SeededDropout({ rate: options.dropout, seed: rng.seedInt(), name: 'head_dropout' });
    headLayers.push(dropout);
    x = dropout.apply(x) as SymbolicTensor;
  }
  const head = layers.dense({ units: options.numClasses, name: 'head', kernelInitializer: init.glorotUniform() });
  headLayers.push(head);
  const logits = head.apply(x) as SymbolicTensor;

  const model = functionalModel({ inputs: source.inputs, outputs: logits, name: `${source.name}_transfer` });
  const backbone = functionalModel({ inputs: source.inputs, outputs: featuresLayer.getOutputAt(0) as SymbolicTensor, name: `${source.name}_backbone` });
  releaseUnused(source, model);
  return {
    model,
    backbone,
    headLayers,
    featureDim,
    applyHead(input: tf.Tensor, training: boolean): tf.Tensor2D {
      let y = input;
      for (const layer of headLayers) {
        const next = layer.apply(y, { training }) as tf.Tensor;
        if (y !== input) y.dispose();
        y = next;
      }
      return y as tf.Tensor2D;
    },
  };
}

/** Disposes the weights of the source's layers that the new model does not use (the old head). */
function releaseUnused(source: LayersModel, kept: LayersModel): void {
  const used = new Set(kept.weights.map((w) => w.read().id));
  for (const layer of source.layers) {
    if (kept.layers.includes(layer)) continue;
    for (const w of layer.weights) if (!used.has(w.read().id)) w.dispose();
  }
}
