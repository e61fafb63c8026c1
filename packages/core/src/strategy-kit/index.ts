// The strategy kit: what a strategy composes so that it states only its loss (and optionally its
// data and a prepare step). `runTraining` is the one place the training loop is called from.
export { runTraining, type TrainingPlan } from './run-training.js';
export { buildModel, startFrom, releaseModel } from './build-model.js';
export { labelledBatches, requireUnlabelled, requireUnlabelledSource, taskImages } from './run-data.js';
export { validationLogs, finalEvaluation } from './run-evaluation.js';
export { supervisedLoss } from './supervised-loss.js';
