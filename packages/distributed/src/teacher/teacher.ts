import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FrugalInputError, findModelDir, loadSavedModel, readModelCard, requireClassifier, type ModelCard } from '@frugal/core';
import { modelDecodeParams, type DecodeParams } from '@frugal/data';
import type { LayersModel } from '@tensorflow/tfjs-layers';

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

/** The folder of a teacher's model: a run directory's `model/`, or a model folder itself. */
export function teacherModelDir(teacher: string): string {
  const dir = findModelDir(teacher);
  if (dir) return dir;
  const what = existsSync(teacher) ? `has no trained model (no frugal.json there or in ${join(teacher, 'model')})` : 'does not exist';
  throw new FrugalInputError(`Teacher "${teacher}" ${what}; give a run directory written by frugal train or a model folder written by frugal convert`);
}

/** SHA-256 over the names and contents of the files of a teacher's model folder, in name order. */
export async function teacherWeightsHash(teacher: string): Promise<string> {
  const dir = teacherModelDir(teacher);
  const hash = createHash('sha256');
  for (const name of (await readdir(dir)).filter((n) => !n.startsWith('.')).sort()) {
    hash.update(`${name}\u0000`);
    hash.update(await readFile(join(dir, name)));
  }
  return hash.digest('hex');
}

/** Loads a teacher's trained model (a run's `model/`, or a model folder) with its card, hash and decode parameters. */
export async function loadTeacher(runDir: string): Promise<Teacher> {
  const dir = teacherModelDir(runDir);
  const card = await readModelCard(dir);
  requireClassifier(card, runDir);
  const weightsHash = await teacherWeightsHash(runDir);
  const model = await loadSavedModel(dir);
  return { runDir, model, card, weightsHash, decode: modelDecodeParams(card) };
}
