import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileHandler, isInputError, readModelCard, type ModelCard } from '@frugal/core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { UsageError } from './usage-error.js';

/** A run directory's trained model and its card (classes, input shape, normalization), both checked. */
export async function loadRunModel(runDir: string): Promise<{ model: LayersModel; card: ModelCard }> {
  const dir = join(runDir, 'model');
  const cardFile = join(dir, 'frugal.json');
  if (!existsSync(cardFile)) {
    throw new UsageError(`${runDir} has no trained model (${cardFile} is missing); train it first or give another run directory`);
  }
  const card = await readModelCard(dir);
  let model: LayersModel;
  try {
    model = await loadLayersModel(fileHandler(dir));
  } catch (error) {
    if (isInputError(error)) throw error;
    throw new UsageError(`The model in ${dir} could not be loaded (${(error as Error).message}); its model.json is damaged. Train or convert it again`, {
      cause: error,
    });
  }
  const [inputs, outputs] = [model.inputs[0]?.shape, model.outputs[0]?.shape];
  if (inputs?.slice(1).join(',') !== card.inputShape.join(',') || outputs?.[1] !== card.classNames.length) {
    model.dispose();
    throw new UsageError(
      `${cardFile} describes inputs [${card.inputShape}] and ${card.classNames.length} classes, but ${join(dir, 'model.json')} takes ` +
        `[${inputs?.slice(1)}] and gives ${outputs?.[1]} outputs; the model card belongs to another model. Train or convert it again`,
    );
  }
  return { model, card };
}
