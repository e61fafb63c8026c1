import type { Augmentation, BuiltModel, Normalization } from '@frugal/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { EmaTeacher } from '../../losses/ema-teacher.js';
import type { NeighbourLabels } from '../../pseudo-labels/neighbour-labels.js';
import type { ConsistencyViews } from '../consistency-parts.js';
import type { FixMatchOptions } from './fixmatch-params.js';
import type { FixMatchTerm } from './term.js';

/** What a FixMatch run's steps read: the model, the network it trains, the views and estimates, and the terms. */
export interface FixMatchRun extends ConsistencyViews {
  readonly built: BuiltModel;
  /** The model with the run's own heads: the pseudo head (`decoupledHead`), then the terms' heads in their order. */
  readonly network: LayersModel;
  readonly normalization: Normalization;
  readonly p: FixMatchOptions;
  readonly terms: readonly FixMatchTerm[];
  /** `mixAugment`, resolved. */
  readonly mix: readonly Augmentation[];
  /** Present with `pseudoLabelModel: 'ema'`. */
  readonly teacher?: EmaTeacher;
  /** Present when a term reads the weak views' features: the trained model's logits and features. */
  readonly withFeatures?: LayersModel;
  /** Present with `neighbourLabels`. */
  readonly neighbours?: NeighbourLabels;
}
