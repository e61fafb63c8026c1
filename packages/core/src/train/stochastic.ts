import type { LayersModel } from '@tensorflow/tfjs-layers';

/** A layer whose randomness (dropout, drop-path) is seeded per training step. */
export interface StochasticLayer {
  setStep(step: number): void;
}

interface LayerTree {
  layers?: readonly unknown[];
}

function isStochastic(layer: unknown): layer is StochasticLayer {
  return typeof (layer as Partial<StochasticLayer>).setStep === 'function';
}

/** Tells every stochastic layer of `model` (nested models too) which step is running. */
export function setStochasticStep(model: LayersModel, step: number): void {
  const visit = (node: LayerTree) => {
    for (const layer of node.layers ?? []) {
      if (isStochastic(layer)) layer.setStep(step);
      if ((layer as LayerTree).layers) visit(layer as LayerTree);
    }
  };
  visit(model as unknown as LayerTree);
}
