import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FrugalInputError, fileHandler, readModelCard, type ModelCard } from '@frugal/core';
import { modelDecodeParams, type DecodeParams } from '@frugal/data';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';

/** A trained run's model, as the labeller uses it. */
export interface Teacher {
  readonly runDir: string;
  readonly model: LayersModel;
  readonly card: ModelCard;
  /** SHA-256 of every file of the run's `model/` folder (architecture, weights, card). */
  readonly weightsHash: string;
  /** How images are decoded for it: the size of its inputs, fitted as its card says. */
  readonly decode: DecodeParams;
}

/** SHA-256 over the names and contents of the files of a run's `model/` folder, in name order. */
export async function teacherWeightsHash(runDir: string): Promise<string> {
  const dir = join(runDir, 'model');
  const hash = createHash('sha256');
  for (const name of (await readdir(dir)).filter((n) => !n.startsWith('.')).sort()) {
    hash.update(`${name}\u0000`);
    hash.update(await readFile(join(dir, name)));
  }
  return hash.digest('hex');
}

/** Loads a run's trained model (`RUN/model/`) with its card, hash and decode parameters. */
export async function loadTeacher(runDir: string): Promise<Teacher> {
  const dir = join(runDir, 'model');
  if (!existsSync(join(dir, 'frugal.json'))) {
    throw new FrugalInputError(`Teacher "${runDir}" has no trained model (${join(dir, 'frugal.json')} is missing); give a run directory written by frugal train`);
  }
  const card = await readModelCard(dir);
  const weightsHash = await teacherWeightsHash(runDir);
  let model: LayersModel;
  try {
    model = await loadLayersModel(fileHandler(dir));
  } catch (error) {
    if (error instanceof FrugalInputError) throw error;
    throw new FrugalInputError(`The model in ${dir} could not be loaded (${(error as Error).message}); train the teacher again`);
  }
  return { runDir, model, card, weightsHash, decode: modelDecodeParams(card) };
}
