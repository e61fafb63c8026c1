// A backend as a plugin: a provider says whether it can run here (and if not why and what to do),
// activates itself, and has a priority for `auto`. This one offers TensorFlow.js's pure-JS `cpu`
// backend under the name `reference`: slow, available everywhere, the one others are checked against.
import type { BackendProvider, FrugalPlugin } from '@frugal/core';
import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

export function referenceBackend(): BackendProvider {
  return {
    priority: -100, // `auto` picks it only when nothing faster is present
    async probe() {
      return tf.findBackend('cpu') || tf.findBackendFactory('cpu')
        ? { available: true }
        : { available: false, reason: 'the cpu backend is not registered', remedy: "Install @tensorflow/tfjs-backend-cpu and import it once" };
    },
    async activate() {
      await tf.setBackend('cpu');
      await tf.ready();
    },
  };
}

/** The plugin: one backend, `reference`, that `frugal --backend reference` or a recipe's `backend` selects. */
export function referenceBackendPlugin(): FrugalPlugin {
  return {
    name: '@acme/frugal-reference-backend',
    register(registry) {
      registry.backend({
        name: 'reference',
        description: "TensorFlow.js's pure-JS cpu backend: slow, everywhere, the reference for checks",
        params: z.strictObject({}),
        factory: () => referenceBackend(),
      });
    },
  };
}
