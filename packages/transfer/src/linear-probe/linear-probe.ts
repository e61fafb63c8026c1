import {
  augmentBatch,
  batchAccuracy,
  labelledBatches,
  metricsFromLogits,
  normalize,
  runTraining,
  softCrossEntropy,
  type Batch,
  type EpochSource,
  type Logs,
  type StepInfo,
  type StrategyContext,
  type TrainLoopResult,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { layerVariables, type TransferModel } from '../model/replace-head.js';
import type { TransferParams } from '../params.js';
import { computeFeatures, FeatureBatches, type FeatureCache } from './feature-cache.js';

export interface LinearProbeResult extends TrainLoopResult {
  readonly featuresCached: boolean;
}

function headLoss(tm: TransferModel, features: tf.Tensor, targets: tf.Tensor2D, info: StepInfo): tf.Scalar {
  const logits = tm.applyHead(features, true);
  info.track('accuracy', batchAccuracy(logits, targets));
  return softCrossEntropy(logits, targets);
}

/** Validation logs from cached features: the head alone, in inference mode. */
function cachedValidation(tm: TransferModel, cache: FeatureCache, labels: Int32Array, classNames: readonly string[]): Logs {
  const logits = tf.tidy(() => tm.applyHead(tf.tensor(cache.values, [cache.count, ...cache.shape]), false));
  const values = logits.dataSync() as Float32Array;
  logits.dispose();
  const r = metricsFromLogits(values, labels, classNames);
  return { valLoss: r.loss, valAccuracy: r.accuracy };
}

/**
 * Method 1: the backbone frozen, only the new head trains. The backbone runs in inference mode
 * (BatchNorm uses and keeps its running statistics) and takes no gradient. With `cacheFeatures`,
 * its features are computed once for the training (and validation) images, so every epoch after
 * that costs only the head.
 */
export async function linearProbe(ctx: StrategyContext, tm: TransferModel, params: TransferParams): Promise<LinearProbeResult> {
  const { data, train } = ctx;
  const numClasses = data.classNames.length;
  const cache = params.cacheFeatures === 'auto' ? ctx.augment.length === 0 : params.cacheFeatures;
  if (cache && ctx.augment.length > 0) {
    ctx.log(
      `linear-probe with cacheFeatures: true computes the features of the un-augmented images once; ` +
        `the recipe's ${ctx.augment.length} augmentation(s) are not applied. Set cacheFeatures: false to augment every epoch.`,
    );
  }
  const headVariables = layerVariables(tm.headLayers);
  const shuffle = { rng: ctx.rng.child('shuffle') };
  let source: EpochSource;
  let loss: (batch: Batch, info: StepInfo) => tf.Scalar;
  let validate: (() => Logs) | undefined;
  const validation = data.validation;

  if (cache) {
    const started = performance.now();
    const features = computeFeatures(tm.backbone, data.labelled, data.normalization);
    const valFeatures = validation ? computeFeatures(tm.backbone, validation, data.normalization) : undefined;
    ctx.log(
      `Cached the frozen backbone's features of ${features.count} training` +
        (valFeatures ? ` and ${valFeatures.count} validation` : '') +
        ` images (${features.shape.join('×')} each) in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const batches = new FeatureBatches(features, data.labelled, { batchSize: train.batchSize, shuffle, numClasses, labelSmoothing: train.labelSmoothing, balanceClasses: train.balanceClasses });
    source = batches;
    loss = (batch, info) => headLoss(tm, batches.features(batch), batch.y, info);
    if (validation && valFeatures) validate = () => cachedValidation(tm, valFeatures, validation.labels, data.classNames);
  } else {
    source = labelledBatches(ctx);
    loss = (batch, info) => {
      const augmented = augmentBatch(ctx.augment, batch, info.rng.child('augment'));
      const features = tm.backbone.apply(normalize(augmented.x, data.normalization), { training: false }) as tf.Tensor;
      return headLoss(tm, features, augmented.y, info);
    };
  }

  const groups = [{ name: 'head', variables: headVariables, lr: params.lrHead }];
  const run = await runTraining(ctx, { model: { model: tm.model, featureDim: tm.featureDim }, groups, data: source, loss, validate });
  return { ...run, featuresCached: cache };
}
