import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../testing/index.js';
import { contractLayer } from './contract-layer.js';

beforeAll(useCpu);

describe('contractLayer', () => {
  it('finds the layer the model contract names, and refuses a model without it, naming who reads it', () => {
    const input = tfl.input({ shape: [4] });
    const features = tfl.layers.dense({ units: 3, name: 'features' }).apply(input) as tfl.SymbolicTensor;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2, name: 'logits' }).apply(features) as tfl.SymbolicTensor, name: 'mine' });
    expect(contractLayer(model, 'features', 'CoMatch').name).toBe('features');
    expect(() => contractLayer(model, 'head', 'the contrastive pretext')).toThrow(
      'Model "mine" has no layer named "head", which the contrastive pretext reads; a model of the registry names the output its classifier reads "features" and its classifier "head" (the model contract)',
    );
    model.dispose();
  });
});
