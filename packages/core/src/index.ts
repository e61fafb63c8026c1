export { createFrugal, Frugal, Catalog, ModelCatalog, AugmentationCatalog } from './frugal.js';
export type { CreateModelOptions, CreateFrugalOptions, FrugalModels } from './frugal.js';
export type { FrugalPlugin, PluginFactory, PluginInput, Registry } from './plugin.js';
export { resolvePlugins, isFrugalPlugin } from './plugin.js';
export { NamedRegistry } from './registry/named-registry.js';
export type { RegistryEntry, RegisteredEntry, StartingNetwork } from './registry/named-registry.js';
export { REGISTRY_KINDS } from './registry/registries.js';
export { registerVariants } from './registry/register-variants.js';
export type { ModelFamily, VariantModels } from './registry/register-variants.js';
export type {
  Registries,
  RegistryKind,
  ModelFactory,
  AugmentationFactory,
  StrategyFactory,
  DatasetFactory,
  BackendFactory,
  CallbackFactory,
} from './registry/registries.js';
export { Rng, stepSeed } from './rng.js';
export type { RngState } from './rng.js';
export { FrugalInputError, isInputError } from './errors.js';
export { REGISTRIES, ROOT_RNG, LOGGER, CHECKPOINT_STORE, IMAGE_CACHE, FOLDER_LABELLER, token } from './tokens.js';
export type { FolderLabeller, FolderLabelRequest, FolderLabels } from './services/folder-labeller.js';
export { noImageCache } from './services/image-cache.js';
export type { ImageCache } from './services/image-cache.js';
export { stderrLogger } from './services/logger.js';
export type { Logger } from './services/logger.js';
export { fileCheckpointStore } from './services/checkpoint-store.js';
export type { CheckpointStore, FoundCheckpoint } from './services/checkpoint-store.js';
export type { Token } from './tokens.js';
export type * from './types.js';
export type { TrainingCallback, LoopState, Logs } from './train/callback.js';
export type { Strategy, StrategyContext, StrategyData, StrategyResult, ModelSpec } from './train/strategy.js';
export { formatZodError } from './recipe/format-zod-error.js';
export { closestName } from './recipe/closest-name.js';
export { trainConfig, trainConfigSchema, optimizerSchema, scheduleSchema } from './train/train-config.js';
export type { TrainConfig, OptimizerConfig, ScheduleConfig } from './train/train-config.js';
export { trainLoop, NonFiniteLossError, TrainingInterrupted } from './train/train-loop.js';
export type { ParamGroup, StepInfo, EpochSource, TrainLoopOptions, TrainLoopResult } from './train/train-loop.js';
export { createOptimizer, decays } from './train/optimizers.js';
export type { Optimizer } from './train/optimizers.js';
export { lrFactor } from './train/schedules.js';
export { clipByGlobalNorm, globalNorm } from './train/gradients.js';
export { WeightEma } from './train/ema.js';
export { saveCheckpoint, loadLatestCheckpoint, restoreWeights, checkpointNames, readCheckpoint } from './train/checkpoint.js';
export type { CheckpointState, CheckpointTensors, LoopPosition } from './train/checkpoint.js';
export { setStochasticStep } from './train/stochastic.js';
export type { StochasticLayer } from './train/stochastic.js';
export { softCrossEntropy, batchAccuracy } from './train/losses.js';
export { forwardTraining, classifierLoss, withAuxiliaryLosses, DEFAULT_AUX_LOSS_WEIGHT } from './train/classifier-step.js';
export { trainSupervised } from './strategies/supervised.js';
export type { SupervisedOptions, SupervisedResult } from './strategies/supervised.js';
export { runTraining, buildModel, startFrom, releaseModel, labelledBatches, requireUnlabelled, requireUnlabelledSource, taskImages, validationLogs, finalEvaluation, supervisedLoss } from './strategy-kit/index.js';
export type { TrainingPlan } from './strategy-kit/index.js';
export { progressBar } from './callbacks/progress-bar.js';
export { metricsJsonl } from './callbacks/metrics-jsonl.js';
export { earlyStopping } from './callbacks/early-stopping.js';
export type { EarlyStoppingOptions } from './callbacks/early-stopping.js';
export { evaluate, predictLogits, metricsFromLogits } from './metrics/evaluate.js';
export { InferenceModel, withInferenceModel, FUSED_CONV_RESIDUAL } from './inference/inference-model.js';
export type { EvaluationResult, ClassReport } from './metrics/evaluate.js';
export { imageBatch, pixelBatch, normalize, oneHotTargets, BatchSource } from './data/batches.js';
export { EpochOrder } from './data/epoch-order.js';
export type { EpochOrderOptions } from './data/epoch-order.js';
export { TaskImages } from './data/task-images.js';
export type { ReadImages } from './data/task-images.js';
export { TaskBatches } from './data/task-batches.js';
export type { TaskBatchesOptions } from './data/task-batches.js';
export { classBalancedOrder } from './data/class-balanced-order.js';
export { indicesByClass } from './data/indices-by-class.js';
export type { BatchSourceOptions } from './data/batches.js';
export { splitLabelled } from './data/split.js';
export type { Split, SplitOptions } from './data/split.js';
export { subset, concat, isStreamed } from './data/image-set.js';
export { streamedSubset } from './data/streamed-subset.js';
export { augmentBatch } from './data/augment-batch.js';
export { fileHandler } from './io/file-handler.js';
export { readUserFile } from './io/read-user-file.js';
export { makeDir } from './io/make-dir.js';
export type { ReadUserFileOptions } from './io/read-user-file.js';
export { writeFileAtomic, writeNewFileAtomic, writeDirAtomic } from './io/atomic.js';
export { loadInitialWeights, applyInitialWeights, savedModelDir } from './io/initial-weights.js';
export type { InitialWeights, InitialWeightsReport } from './io/initial-weights.js';
export { recipeSchema, dataSectionSchema, normalizationSchema, runNameSchema } from './recipe/schema.js';
export {
  augmentSpecSchema,
  opSpecSchema,
  pipelineSpecSchema,
  opListSchema,
  parseAugmentSpec,
  specObject,
  AUGMENT_SPEC_BUILDER,
  basicSpecBuilder,
} from './augment-spec/index.js';
export type { AugmentSpec, OpSpec, AugmentationResolver, ParsedAugmentSpec, AugmentSpecBuilder, BuildSite } from './augment-spec/index.js';
export type { Recipe, RecipeInput } from './recipe/schema.js';
export { validateRecipe } from './recipe/validate.js';
export { readRecipeFile, parseRecipeText, MAX_RECIPE_BYTES, type RecipeFileKind } from './recipe/load.js';
export { loadPlugins, loadPluginsByName, parsePluginSpecs, type LoadedPlugin, type LoadPluginsOptions, type PluginSpec } from './recipe/load-plugins.js';
export { pluginSpecSchema } from './recipe/plugin-spec.js';
export { runRecipe, prepareData } from './recipe/run-recipe.js';
export type { RunOptions, RunResult } from './recipe/run-recipe.js';
export { loadSavedModel, saveModel } from './io/saved-model.js';
export { readModelCard, parseModelCard, requireClassifier, writeModelCard, modelCardFields, findModelDir, modelCardSchema, MAX_CLASSES, MAX_MODEL_CARD_BYTES } from './io/model-card.js';
export type { ModelCard, ModelCardFields } from './io/model-card.js';
export { RESIZE_POLICIES, RESIZE_KERNELS, DEFAULT_IMAGE_DECODING, MAX_INPUT_SIDE, imageDecodingSchema } from './io/image-decoding.js';
export type { ImageDecoding, ResizePolicy, ResizeKernel } from './io/image-decoding.js';
export { lockRunDir, RUN_LOCK_FILE } from './io/run-lock.js';
export { pseudoLabelLines, readPseudoLabelFile } from './io/pseudo-label-file.js';
export { folderRelativePath } from './io/folder-relative-path.js';
export type { PseudoLabel } from './io/pseudo-label-file.js';
export type { RunLock, RunLockOwner } from './io/run-lock.js';
export { claimRunDir } from './recipe/run-dir.js';
export { ensureBackend, selectBackend } from './backend/select-backend.js';
export type { BackendChoice } from './backend/select-backend.js';
export { seededInitializers } from './init/seeded-initializers.js';
export type { SeededInitializers } from './init/seeded-initializers.js';
export { SeededDropout } from './layers/seeded-dropout.js';
export { contractLayer } from './layers/contract-layer.js';
export type { SeededDropoutArgs } from './layers/seeded-dropout.js';
export { coreBuiltins } from './builtins.js';
