import { FrugalInputError, writeFileAtomic } from '@frugal/core';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PseudoLabelStats } from '../pseudo-labels/select-pseudo-labels.js';

/** What is kept of a finished generation (also written to its `summary.json`). */
export interface GenerationRecord {
  /** 0 = the teacher trained on the labelled images; 1.. = students. */
  readonly generation: number;
  readonly model: string;
  readonly parameters: number;
  readonly steps: number;
  readonly seconds: number;
  /** Pseudo-labels the student trained on (absent for generation 0). */
  readonly pseudoLabels?: PseudoLabelStats;
  /** Test-set metrics when a test set was given. */
  readonly test?: { accuracy: number; loss: number; count: number };
  readonly validation?: { accuracy: number; loss: number; count: number };
  /** Last epoch's logs. */
  readonly final?: Record<string, number>;
  readonly stopReason?: string;
}

/** The self-training loop's progress: which generations are done. Written atomically after each. */
export interface SelfTrainingState {
  readonly format: 'frugal-self-training/1';
  readonly strategy: string;
  /** Model name of every generation, teacher first. */
  readonly models: readonly string[];
  readonly completed: readonly GenerationRecord[];
}

export const STATE_FILE = 'state.json';

/** The directory of generation `g` (model/, checkpoints/, summary.json, metrics.jsonl). */
export function generationDir(dir: string, generation: number): string {
  return join(dir, `generation-${generation}`);
}

export async function readState(dir: string): Promise<SelfTrainingState | undefined> {
  const path = join(dir, STATE_FILE);
  if (!existsSync(path)) return undefined;
  let state: SelfTrainingState;
  try {
    state = JSON.parse(await readFile(path, 'utf8')) as SelfTrainingState;
  } catch (error) {
    throw new FrugalInputError(`Cannot read ${path} (${(error as Error).message}); delete it to start the self-training loop over`);
  }
  if (state.format !== 'frugal-self-training/1' || !Array.isArray(state.completed)) {
    throw new FrugalInputError(`${path} is not a self-training state file (format "${String(state.format)}"); delete it to start over`);
  }
  return state;
}

export async function writeState(dir: string, state: SelfTrainingState): Promise<void> {
  await writeFileAtomic(join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

/** A resumed run must plan the same generations as the run it continues. */
export function checkResumable(state: SelfTrainingState, strategy: string, models: readonly string[], path: string): void {
  const same = state.strategy === strategy && state.models.length === models.length && state.models.every((m, i) => m === models[i]);
  if (!same) {
    throw new FrugalInputError(
      `${join(path, STATE_FILE)} was written by strategy "${state.strategy}" with generations [${state.models.join(', ')}]; ` +
        `this run plans "${strategy}" with [${models.join(', ')}]. Resume with the same recipe, or start a new run directory.`,
    );
  }
}
