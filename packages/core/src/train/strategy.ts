import type { Frugal, ModelCatalog } from '../frugal.js';
import type { EvaluationResult } from '../metrics/evaluate.js';
import type { Rng } from '../rng.js';
import type { ImageDecoding } from '../io/image-decoding.js';
import type { InitialWeights } from '../io/initial-weights.js';
import type { Augmentation, BuiltModel, ImageSet, Normalization, StreamedImageSet } from '../types.js';
import type { TrainingCallback } from './callback.js';
import type { TrainConfig } from './train-config.js';

/** The data a strategy trains on, already split. */
export interface StrategyData {
  readonly labelled: ImageSet;
  /** Images whose labels are hidden from training (kept only for diagnostics). */
  readonly unlabelled?: ImageSet;
  /**
   * Unlabelled images read from disk in batches (a folder source), given to strategies whose
   * registry entry says `streamsUnlabelled`; for the others they are loaded into `unlabelled`.
   */
  readonly unlabelledStream?: StreamedImageSet;
  readonly validation?: ImageSet;
  readonly test?: ImageSet;
  readonly classNames: readonly string[];
  readonly normalization: Normalization;
  /** How the source fitted its image files to the input size, when it decoded files (saved models record it). */
  readonly decode?: ImageDecoding;
}

/** How to build a model for this run (a strategy may build several: teacher, students). */
export interface ModelSpec {
  readonly name: string;
  readonly params: Record<string, unknown>;
}

/** Everything a strategy needs to run; built by `runRecipe` or by hand. */
export interface StrategyContext {
  readonly frugal: Frugal;
  /** The run's random stream (shuffling, steps, new heads); `runRecipe` derives it from the recipe's seed. */
  readonly rng: Rng;
  /**
   * The run's models: initial weights drawn from the recipe's seed and counted within the run
   * (`runRecipe` sets it); absent: `frugal.models`.
   */
  readonly models?: ModelCatalog;
  readonly data: StrategyData;
  readonly model: ModelSpec;
  /** Weights the recipe's model starts from (`model.init`); `buildModel` copies them into every model of that name. */
  readonly init?: InitialWeights;
  readonly train: TrainConfig;
  /** The augmentation pipeline from the recipe (identity when empty). */
  readonly augment: readonly Augmentation[];
  readonly callbacks: readonly TrainingCallback[];
  /** Run directory; checkpoints go under it. Absent: nothing is written. */
  readonly runDir?: string;
  /** Resume from the run directory's last checkpoint. */
  readonly resume?: boolean;
  readonly signal?: AbortSignal;
  log(message: string): void;
}

export interface StrategyResult {
  readonly model: BuiltModel;
  /** Test-set evaluation when a test set was given, else validation. */
  readonly evaluation?: EvaluationResult | undefined;
  /** Extra numbers worth reporting (per-iteration accuracies, pseudo-label counts, ...). */
  readonly details?: Record<string, unknown>;
  /** The classes the model tells apart, when not the data's (a self-supervised task's). */
  readonly classNames?: readonly string[];
}

/** A training strategy (`strategies` registry): supervised, transfer, distill, pseudo-label, ... */
export interface Strategy {
  run(ctx: StrategyContext): Promise<StrategyResult>;
}
