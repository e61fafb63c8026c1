import type { LayersModel } from '@tensorflow/tfjs-layers';
import { FrugalInputError } from '../errors.js';

type Layer = LayersModel['layers'][number];

/**
 * A layer the model contract names: `features` (the output the classifier reads) or `head` (the
 * classifier). A model without it is refused, naming who reads it.
 */
export function contractLayer(model: LayersModel, name: 'features' | 'head', reader: string): Layer {
  try {
    return model.getLayer(name);
  } catch {
    throw new FrugalInputError(
      `Model "${model.name}" has no layer named "${name}", which ${reader} reads; ` +
        'a model of the registry names the output its classifier reads "features" and its classifier "head" (the model contract)',
    );
  }
}
