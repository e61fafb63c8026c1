import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import type { FrugalPlugin } from '../plugin.js';
import { seededInitializers } from '../init/seeded-initializers.js';
import { SeededDropout } from '../layers/seeded-dropout.js';
import type { ImageSet } from '../types.js';
import type { Rng } from '../rng.js';
import { stripes as verticalStripes } from '../testing/index.js';

export { useCpu } from '../testing/index.js';

/** The testing module's stripes (a bright vertical band per class), classes named by where the band lies. */
export function stripes(count: number, seed = 1, size = 8): ImageSet {
  return { ...verticalStripes(count, seed, false, size), classNames: ['left', 'middle', 'right'] };
}

/** A tiny conv net with BatchNorm and dropout, with `features` and `head` layers. */
export function tinyConvNet(numClasses: number, inputShape: [number, number, number], rng: Rng, dropout = 0): tfl.LayersModel {
  const init = seededInitializers(rng);
  const input = tfl.input({ shape: inputShape });
  let x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init.heNormal() }).apply(input) as tfl.SymbolicTensor;
  x = tfl.layers.batchNormalization().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.reLU().apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({ name: 'features' }).apply(x) as tfl.SymbolicTensor;
  if (dropout > 0) x = new SeededDropout({ rate: dropout, seed: rng.seedInt() }).apply(x) as tfl.SymbolicTensor;
  const logits = tfl.layers.dense({ units: numClasses, name: 'head', kernelInitializer: init.glorotUniform() }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits });
}

/** A plugin with a tiny model and an in-memory dataset, for tests of the loop and recipes. */
export function tinyPlugin(): FrugalPlugin {
  return {
    name: '@frugal/test-tiny',
    register(r) {
      r.model({
        name: 'tiny-cnn',
        description: 'a tiny conv net',
        params: z.strictObject({ dropout: z.number().min(0).max(0.9).default(0) }),
        factory: (p, ctx) => ({ model: tinyConvNet(p.numClasses, p.inputShape, ctx.rng, p.dropout), featureDim: 4 }),
      });
      r.dataset({
        name: 'stripes',
        description: 'synthetic 3-class stripes',
        params: z.strictObject({ count: z.number().int().min(3).default(60), testCount: z.number().int().min(3).default(30) }),
        factory: async (p) => {
          const train = stripes(p.count, 1);
          return { name: 'stripes', train, test: stripes(p.testCount, 2), classNames: train.classNames, normalization: { mean: [0.5], std: [0.25] } };
        },
      });
    },
  };
}
