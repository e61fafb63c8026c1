import type { LayersModel } from '@tensorflow/tfjs-layers';
import { fileHandler } from './file-handler.js';
import { writeModelCard, type ModelCardFields } from './model-card.js';

/**
 * Saves a model where `predict`, `eval`, teachers and `model.init` can use it: the tfjs files
 * (model.json, weights.bin; atomically) and its card (`frugal.json`) in `dir`. `overwrite: false`
 * refuses a folder that already holds a model.
 */
export async function saveModel(model: LayersModel, dir: string, card: ModelCardFields, options: { overwrite?: boolean } = {}): Promise<void> {
  await model.save(fileHandler(dir, { overwrite: options.overwrite ?? true }));
  await writeModelCard(dir, card);
}
