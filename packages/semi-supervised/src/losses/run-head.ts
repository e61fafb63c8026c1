import { contractLayer, seededInitializers, type Rng } from '@frugal/core';
import { layers, model as functionalModel, type LayersModel } from '@tensorflow/tfjs-layers';

/**
 * The network with one more head for the run only: a dense layer named `name` on the model's
 * `features` (seeded), whose logits come after the network's outputs. The run disposes of the layer
 * at its end, so the saved model is the classifier alone.
 */
export function withRunHead(network: LayersModel, name: string, units: number, rng: Rng): LayersModel {
  const init = seededInitializers(rng);
  const head = layers.dense({ name, units, kernelInitializer: init.glorotUniform() }).apply(contractLayer(network, 'features', `the run's extra head (${name})`).output);
  return functionalModel({ inputs: network.inputs, outputs: [...network.outputs, head] as never });
}
