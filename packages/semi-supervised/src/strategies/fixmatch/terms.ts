import { featureConsistency } from './terms/feature-consistency.js';
import { fairness } from './terms/fairness.js';
import { rotation } from './terms/rotation.js';
import { shrink } from './terms/shrink.js';
import { virtualAdversarialTraining } from './terms/virtual-adversarial.js';

/**
 * FixMatch's further terms, in the order they are added to its loss, their rows to the pass and
 * their heads to the network. A new term is a file in `terms/`, named in both lists.
 */
export const fixMatchTerms = [fairness, virtualAdversarialTraining, rotation, shrink, featureConsistency] as const;

/** Their parameters, beside FixMatch's own. */
export const fixMatchTermParams = {
  ...fairness.params,
  ...virtualAdversarialTraining.params,
  ...rotation.params,
  ...shrink.params,
  ...featureConsistency.params,
};
