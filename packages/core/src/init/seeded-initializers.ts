import { initializers } from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';

type Initializer = ReturnType<typeof initializers.heNormal>;

/**
 * Weight initializers seeded from a Frugal RNG stream, one fresh seed per call.
 *
 * TensorFlow.js initializers draw the same numbers for the same seed, so a model built with one
 * fixed seed gets identical kernels in every layer of the same shape, and with no seed at all
 * uses Math.random (not reproducible). Drawing each layer's seed from the stream gives distinct,
 * reproducible weights.
 */
export function seededInitializers(rng: Rng) {
  return {
    heNormal: (): Initializer => initializers.varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'normal', seed: rng.seedInt() }),
    heNormalFanOut: (): Initializer =>
      initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: rng.seedInt() }),
    heUniform: (): Initializer => initializers.heUniform({ seed: rng.seedInt() }),
    glorotUniform: (): Initializer => initializers.glorotUniform({ seed: rng.seedInt() }),
    glorotNormal: (): Initializer => initializers.glorotNormal({ seed: rng.seedInt() }),
    /** PyTorch's default for Linear/Conv weights: U(-1/sqrt(fanIn), 1/sqrt(fanIn)) */
    torchDefault: (): Initializer =>
      initializers.varianceScaling({ scale: 1 / 3, mode: 'fanIn', distribution: 'uniform', seed: rng.seedInt() }),
    truncatedNormal: (stddev: number): Initializer => initializers.truncatedNormal({ stddev, seed: rng.seedInt() }),
    zeros: (): Initializer => initializers.zeros(),
    ones: (): Initializer => initializers.ones(),
  };
}

export type SeededInitializers = ReturnType<typeof seededInitializers>;
