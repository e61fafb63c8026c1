import type { FrugalPlugin } from '@frugal/core';
import { coMatch, coMatchParams } from './strategies/comatch.js';
import { coTraining, coTrainingParams } from './strategies/co-training.js';
import { fixMatch } from './strategies/fixmatch/fixmatch.js';
import { fixMatchParams } from './strategies/fixmatch/fixmatch-params.js';
import { noisyStudent, noisyStudentParams } from './strategies/noisy-student.js';
import { pseudoLabel, pseudoLabelParams } from './strategies/pseudo-label.js';

export interface SemiSupervisedOptions {
  /** Prefix for the registered strategy names (e.g. 'ssl-' gives 'ssl-fixmatch'). */
  prefix?: string;
}

/** Learning from unlabelled images: the `pseudo-label`, `noisy-student`, `fixmatch`, `comatch` and `co-training` strategies. */
export function semiSupervised(options: SemiSupervisedOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/semi-supervised',
    register(registry) {
      registry.strategy({
        name: `${prefix}pseudo-label`,
        description: 'Pseudo-labelling: a teacher labels the unlabelled images; confident (optionally balanced) labels train the student',
        params: pseudoLabelParams,
        factory: pseudoLabel,
        streamsUnlabelled: true,
      });
      registry.strategy({
        name: `${prefix}noisy-student`,
        description: 'Noisy Student: teacher -> pseudo-labels -> noised equal-or-larger student, repeated; resumable per generation',
        params: noisyStudentParams,
        factory: noisyStudent,
        streamsUnlabelled: true,
      });
      registry.strategy({
        name: `${prefix}fixmatch`,
        description: 'FixMatch: confident weak-view predictions train the strong view of the same unlabelled image',
        params: fixMatchParams,
        factory: fixMatch,
        streamsUnlabelled: true,
      });
      registry.strategy({
        name: `${prefix}comatch`,
        description: "CoMatch: FixMatch's pseudo-labels smoothed by a memory bank of embeddings, and a graph-contrastive loss between two strong views",
        params: coMatchParams,
        factory: coMatch,
        streamsUnlabelled: true,
      });
      registry.strategy({
        name: `${prefix}co-training`,
        description: "Co-training: two networks from different starts, each learning FixMatch's consistency from the other's confident predictions",
        params: coTrainingParams,
        factory: coTraining,
        streamsUnlabelled: true,
      });
    },
  };
}
