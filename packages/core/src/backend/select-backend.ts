import * as tf from '@tensorflow/tfjs-core';
import { FrugalInputError } from '../errors.js';
import type { Frugal } from '../frugal.js';

export interface BackendChoice {
  readonly name: string;
  /** Why this backend: the ones tried before it and why they were not used. */
  readonly reasons: readonly string[];
}

/**
 * Activates the backend `name`, or with `auto` the registered provider of highest priority that is
 * available here. With no providers registered, the current TensorFlow.js backend stays.
 */
export async function selectBackend(frugal: Frugal, name: string): Promise<BackendChoice> {
  const entries = frugal.backends.list();
  if (entries.length === 0) {
    await tf.ready();
    return { name: tf.getBackend(), reasons: ['no backend providers registered; using the current TensorFlow.js backend'] };
  }
  if (name !== 'auto') {
    const provider = frugal.backends.provider(name);
    const probe = await provider.probe();
    if (!probe.available) throw new FrugalInputError(`Backend "${name}" is not available: ${probe.reason}. ${probe.remedy}`);
    await provider.activate();
    return { name, reasons: [`asked for "${name}"`] };
  }
  const ranked = entries
    .map((e) => ({ name: e.name, provider: e.factory({}) }))
    .sort((a, b) => b.provider.priority - a.provider.priority);
  const reasons: string[] = [];
  for (const { name: candidate, provider } of ranked) {
    const probe = await provider.probe();
    if (!probe.available) {
      reasons.push(`${candidate}: ${probe.reason}`);
      continue;
    }
    await provider.activate();
    reasons.push(`${candidate}: available, highest priority present`);
    return { name: candidate, reasons };
  }
  throw new Error(`No backend is available here:\n  ${reasons.join('\n  ')}`);
}

/**
 * Activates the backend `name` (a recipe's `backend`) unless the caller has set one already, as the
 * `frugal` commands do: `runRecipe` runs on the backend set before it, or else on the recipe's.
 * Returns the choice made, or undefined when a backend was set.
 */
export async function ensureBackend(frugal: Frugal, name: string): Promise<BackendChoice | undefined> {
  if (tf.engine().backendName) return undefined;
  if (frugal.backends.list().length === 0 && tf.engine().backendNames().length === 0) {
    throw new FrugalInputError(
      "No TensorFlow.js backend is registered; add runtimeGpu() of @frugal/runtime-gpu to the instance's plugins (it picks the fastest backend present), or import '@tensorflow/tfjs-backend-cpu'",
    );
  }
  return selectBackend(frugal, name);
}
