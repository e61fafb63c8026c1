import { FOLDER_LABELLER, type FrugalPlugin } from '@frugal/core';
import { queueLabeller } from './queue-labeller.js';

/**
 * The `@frugal/distributed` plugin: provides the `FOLDER_LABELLER` service, with which the
 * pseudo-label and Noisy Student strategies (`queue: redis://HOST:PORT`) have their teachers label
 * an unlabelled folder on a BullMQ queue's workers.
 */
export function distributed(): FrugalPlugin {
  return {
    name: '@frugal/distributed',
    register(registry) {
      registry.provide(FOLDER_LABELLER, queueLabeller);
    },
  };
}
