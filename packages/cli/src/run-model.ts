import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileHandler, type ModelCard } from '@frugal/core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { UsageError } from './usage-error.js';

/** A run directory's trained model and its card (classes, input shape, normalization). */
export async function loadRunModel(runDir: string): Promise<{ model: LayersModel; card: ModelCard }> {
  const dir = join(runDir, 'model');
  const cardFile = join(dir, 'frugal.json');
  if (!existsSync(cardFile)) {
    throw new UsageError(`${runDir} has no trained model (${cardFile} is missing); train it first or give another run directory`);
  }
  let card: ModelCard;
  try {
    card = JSON.parse(readFileSync(cardFile, 'utf8')) as ModelCard;
  } catch (error) {
    throw new UsageError(`${cardFile} is unreadable (${(error as Error).message})`);
  }
  const model = await loadLayersModel(fileHandler(dir));
  return { model, card };
}
