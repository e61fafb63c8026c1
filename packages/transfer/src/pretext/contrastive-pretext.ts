import {
  augmentBatch,
  buildModel,
  FrugalInputError,
  metricsFromLogits,
  normalize,
  pixelBatch,
  runTraining,
  seededInitializers,
  TaskBatches,
  taskImages,
  type Batch,
  type EvaluationResult,
  type Rng,
  type StrategyContext,
  type StrategyFactory,
  type StrategyResult,
  releaseModel,
  contractLayer,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { layers, model as functionalModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { evenlySpaced } from './evenly-spaced.js';
import { ntXent } from './nt-xent.js';
import { nearestMeanLogits } from './nearest-mean.js';

export const contrastivePretextParams = z.strictObject({
  /** Training images (labelled and unlabelled, labels unread) the task is made of, evenly spaced; default: all. */
  images: z.number().int().min(2).optional(),
  /** τ of the NT-Xent loss: lower sharpens the similarities. */
  temperature: z.number().positive().default(0.5),
  /** Width of the projection the loss compares (the saved network's head). */
  projectionDim: z.number().int().min(2).max(4096).default(64),
});

export type ContrastivePretextParams = z.input<typeof contrastivePretextParams>;
type Params = z.output<typeof contrastivePretextParams>;

/** The projection's outputs, as the saved network's classes. */
function projectionNames(dim: number): string[] {
  return Array.from({ length: dim }, (_, i) => `projection ${i + 1}`);
}

/** Features → Dense(featureDim, ReLU) → the model's head: SimCLR's two-layer projection, sharing the model's weights. */
function projectionNetwork(model: LayersModel, featureDim: number, rng: Rng): LayersModel {
  const features = contractLayer(model, 'features', 'the contrastive pretext').output;
  const kernelInitializer = seededInitializers(rng).glorotUniform();
  const hidden = layers.dense({ name: 'projection_hidden', units: featureDim, activation: 'relu', kernelInitializer }).apply(features);
  const out = contractLayer(model, 'head', 'the contrastive pretext').apply(hidden);
  return functionalModel({ inputs: model.inputs, outputs: out as never });
}

/**
 * How far the features alone tell the classes apart: each test image goes to the class whose
 * labelled images' mean feature (cosine) is nearest. Only the labelled images' labels are read.
 */
function nearestMeanEvaluation(ctx: StrategyContext, model: LayersModel): EvaluationResult | undefined {
  const { labelled, test, classNames, normalization } = ctx.data;
  if (!test) return undefined;
  // Made of the model's layers without calling them: it holds nothing to dispose (disposing it would dispose them).
  const featureModel = functionalModel({ inputs: model.inputs, outputs: contractLayer(model, 'features', 'the contrastive pretext').output });
  return metricsFromLogits(nearestMeanLogits(featureModel, labelled, test, classNames.length, normalization), test.labels, classNames);
}

/**
 * A transfer source made from the run's own images by contrastive learning (SimCLR, Chen et al.
 * 2020): two augmented views of each image (the recipe's augmentation, drawn twice) go through the
 * network and a two-layer projection; the NT-Xent loss pulls each pair together and pushes it from
 * every other image of the batch. The saved model (its head is the projection's last layer) starts
 * a later run through `model.init`, whose new head then needs few labels. Its evaluation is the
 * nearest class mean of the labelled images' features on the test images. The images are read a
 * batch at a time, so a folder read from disk is never held in memory.
 */
export async function trainContrastivePretext(ctx: StrategyContext, p: Params): Promise<StrategyResult> {
  const images = taskImages(ctx);
  const picked = evenlySpaced(images.count, p.images ?? images.count);
  const { batchSize } = ctx.train;
  if (batchSize < 2 || batchSize > picked.length) {
    throw new FrugalInputError(
      `contrastive-pretext: train.batchSize is ${batchSize}, but each batch compares its images with each other, from 2 up to the ${picked.length} images of the task; ` +
        'set train.batchSize in that range (SimCLR uses hundreds)',
    );
  }
  const classNames = projectionNames(p.projectionDim);
  const { shape } = images;
  const labelled = { shape, pixels: new Uint8Array(0), labels: new Int32Array(0), classNames };
  const task: StrategyContext = { ...ctx, data: { ...ctx.data, labelled, unlabelled: undefined, unlabelledStream: undefined, validation: undefined, classNames } };
  const built = buildModel(task, ctx.model);
  const network = projectionNetwork(built.model, built.featureDim, ctx.rng.child('projection'));
  try {
    ctx.log(`Contrastive task: ${picked.length} images, two views each, ${batchSize} images a batch`);
    const data = new TaskBatches(images, picked.length, {
      batchSize,
      shuffle: { rng: ctx.rng.child('shuffle') },
      dropLast: true,
      imageOf: (item) => picked[item] as number,
      batch: (items, pixels) => ({ x: pixelBatch(pixels, shape), y: tf.zeros([items.length, 1]) }),
    });
    const run = await runTraining(task, {
      model: built,
      network,
      data,
      prepare: (batch: Batch, info) => {
        const a = augmentBatch(ctx.augment, batch, info.rng.child('view-a'));
        const b = augmentBatch(ctx.augment, batch, info.rng.child('view-b'));
        const x = tf.concat([a.x, b.x]);
        tf.dispose([a.x, a.y, b.x, b.y]);
        return { x, y: tf.zeros([x.shape[0], 1]) };
      },
      loss: (batch) => ntXent(network.apply(normalize(batch.x as tf.Tensor4D, ctx.data.normalization), { training: true }) as tf.Tensor2D, p.temperature),
      validate: () => ({}),
    });
    const evaluation = nearestMeanEvaluation(ctx, built.model);
    return { model: built, evaluation, classNames, details: { strategy: 'contrastive-pretext', history: run.history, steps: run.steps, stopReason: run.stopReason } };
  } catch (error) {
    releaseModel(built);
    throw error;
  } finally {
    // The hidden layer's weights go; the head, called once more by the projection, drops that hold and stays the model's.
    network.getLayer('projection_hidden').dispose();
    built.model.getLayer('head').dispose();
  }
}

export const contrastivePretext: StrategyFactory<Params> = (params) => ({
  run: (ctx) => trainContrastivePretext(ctx, params),
});
