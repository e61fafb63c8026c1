import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { FrugalInputError, isInputError } from '../errors.js';
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

/**
 * Loads the tfjs model that `saveModel` (or `frugal convert`) wrote in `dir`, its weight files
 * confined to the folder; what stops it is said with what to do: a layer no loaded plugin defines,
 * no backend, or damaged files.
 */
export async function loadSavedModel(dir: string): Promise<LayersModel> {
  try {
    return await loadLayersModel(fileHandler(dir));
  } catch (error) {
    if (isInputError(error)) throw error;
    const message = (error as Error).message;
    const layer = /Unknown layer: (\w+)/.exec(message)?.[1];
    if (layer) {
      throw new FrugalInputError(
        `The model in ${dir} uses the layer ${layer}, which no loaded plugin defines; create the Frugal instance with the plugin of its model (e.g. resnet() of @frugal/models-resnet, or standardPlugins()) before loading it`,
        { cause: error },
      );
    }
    if (/No backend found/.test(message)) {
      throw new FrugalInputError(`No TensorFlow.js backend is set to load the model in ${dir}; choose one first (selectBackend of @frugal/core, or useBackend of @frugal/runtime-gpu)`, { cause: error });
    }
    throw new FrugalInputError(`The model in ${dir} could not be loaded (${message}); its model.json is damaged. Train or convert it again`, { cause: error });
  }
}
