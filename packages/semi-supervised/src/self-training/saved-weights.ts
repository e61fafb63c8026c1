import { FrugalInputError, fileHandler, restoreWeights, type BuiltModel } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';

/** Saves a generation's model (tfjs format: model.json + weights.bin) atomically into `dir`. */
export async function saveWeights(built: BuiltModel, dir: string): Promise<void> {
  await built.model.save(fileHandler(dir, { overwrite: true }));
}

/**
 * Loads the weights saved by `saveWeights` into a freshly built model of the same architecture
 * (in `model.weights` order, shapes checked).
 */
export async function loadSavedWeights(built: BuiltModel, dir: string): Promise<void> {
  const handler = fileHandler(dir);
  if (!handler.load) throw new Error('fileHandler cannot load');
  const artifacts = await handler.load();
  const specs = artifacts.weightSpecs ?? [];
  if (!artifacts.weightData) throw new FrugalInputError(`${dir} holds no weights; delete the run's state file to start over`);
  const named = tf.io.decodeWeights(artifacts.weightData, specs);
  const ordered = specs.map((s) => named[s.name] as tf.Tensor);
  try {
    restoreWeights(built.model, ordered, dir);
  } finally {
    tf.dispose(Object.values(named));
  }
}
