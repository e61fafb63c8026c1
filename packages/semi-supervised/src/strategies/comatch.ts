import {
  augmentBatch,
  batchAccuracy,
  buildModel,
  finalEvaluation,
  normalize,
  requireUnlabelledSource,
  runTraining,
  seededInitializers,
  softCrossEntropy,
  type Batch,
  type Normalization,
  type Rng,
  type StepInfo,
  type StrategyContext,
  type StrategyFactory,
  type StrategyResult,
  releaseModel,
  contractLayer,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { layers, model as functionalModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { consistencyParams, consistencyViews, unlabelledBatches, type ConsistencyViews } from './consistency-parts.js';
import { labelledRowsOf, type MixedBatch } from '../data/mixed-batch-source.js';
import { graphContrastiveLoss, pseudoLabelGraph } from '../losses/graph-contrastive.js';
import { MemoryBank } from '../losses/memory-bank.js';
import { rowCrossEntropy, rows } from '../losses/row-cross-entropy.js';
import { unitRows } from '../losses/unit-rows.js';

export const coMatchParams = z.strictObject({
  ...consistencyParams,
  /** λ_c: weight of the graph-contrastive loss. */
  contrastiveWeight: z.number().min(0).default(1),
  /** Edges of the pseudo-label graph below this similarity are cut. */
  graphThreshold: z.number().min(0).max(1).default(0.8),
  /** Temperature of the embedding similarities (the graph-contrastive loss and the memory smoothing). */
  temperature: z.number().positive().default(0.2),
  /** α: a pseudo-label is α · the prediction + (1 − α) · its neighbours' in the memory bank. */
  smoothing: z.number().min(0).max(1).default(0.9),
  /** Weak-view embeddings and probabilities the memory bank holds. */
  memorySize: z.number().int().min(1).max(1_000_000).default(2560),
  /** Width of the embedding the projection gives. */
  projectionDim: z.number().int().min(2).max(4096).default(64),
  /** Distribution alignment of the weak views' predictions (on by default in CoMatch). */
  distributionAlignment: z.boolean().default(true),
});

export type CoMatchParams = z.input<typeof coMatchParams>;
type Params = z.output<typeof coMatchParams>;

interface Parts extends ConsistencyViews {
  readonly network: LayersModel;
  readonly bank: MemoryBank;
  readonly numClasses: number;
}

/** The model's logits and, from its features, a two-layer projection (seeded): `[logits, embedding]`. */
function twoHeadedNetwork(model: LayersModel, featureDim: number, projectionDim: number, rng: Rng): LayersModel {
  const init = seededInitializers(rng);
  const features = contractLayer(model, 'features', 'CoMatch').output;
  const hidden = layers.dense({ name: 'comatch_projection_hidden', units: featureDim, activation: 'relu', kernelInitializer: init.glorotUniform() }).apply(features);
  const embedding = layers.dense({ name: 'comatch_projection', units: projectionDim, kernelInitializer: init.glorotUniform() }).apply(hidden);
  return functionalModel({ inputs: model.inputs, outputs: [model.outputs[0], embedding] as never });
}

function forward(network: LayersModel, x: tf.Tensor4D, norm: Normalization): [tf.Tensor2D, tf.Tensor2D] {
  const [logits, embedding] = network.apply(normalize(x, norm), { training: true }) as tf.Tensor2D[];
  return [logits as tf.Tensor2D, unitRows(embedding as tf.Tensor2D)];
}

/**
 * Before the gradient tape: one training-mode pass over the weak views gives the unlabelled
 * images' predictions (aligned) and embeddings; the memory bank smooths the predictions into
 * pseudo-labels and then takes the batch's weak embeddings with their predictions (and the labelled
 * images' with their labels); the pseudo-labels give the graph. The batch it returns holds the
 * labelled weak views and two strong views of each unlabelled image; its targets carry, per row,
 * the class target and (for the first strong views) the graph's row: `[n, C + nu]`.
 */
function coMatchBatch(batch: Batch, info: StepInfo, parts: Parts, norm: Normalization, p: Params): MixedBatch {
  const nl = labelledRowsOf(batch);
  const nu = batch.x.shape[0] - nl;
  const C = parts.numClasses;
  const labelled = augmentBatch(parts.labelled, { x: rows(batch.x, 0, nl), y: rows(batch.y, 0, nl) }, info.rng.child('labelled'));
  const unlabelled = { x: rows(batch.x, nl, nu), y: rows(batch.y, nl, nu) };
  const weak = augmentBatch(parts.weak, unlabelled, info.rng.child('weak'));
  const [logits, embeddings] = forward(parts.network, tf.concat([labelled.x, weak.x]) as tf.Tensor4D, norm);
  const raw = tf.softmax(rows(logits, nl, nu)) as tf.Tensor2D;
  const predicted = parts.align ? parts.align.align(raw) : raw;
  const smoothed = parts.bank.smooth(predicted, rows(embeddings, nl, nu), p.smoothing, p.temperature);
  parts.bank.push(tf.concat([rows(embeddings, nl, nu), rows(embeddings, 0, nl)]) as tf.Tensor2D, tf.concat([predicted, labelled.y]) as tf.Tensor2D);
  const threshold = parts.gate.update(smoothed);
  if (threshold !== undefined) info.track('threshold', threshold);
  const mask = parts.gate.weights(tf.max(smoothed, -1) as tf.Tensor1D, tf.argMax(smoothed, -1) as tf.Tensor1D);
  info.track('maskRate', tf.mean(mask) as tf.Scalar);
  const targets = tf.mul(smoothed, tf.expandDims(mask, 1));
  const graph = pseudoLabelGraph(smoothed, p.graphThreshold);
  const strongA = augmentBatch(parts.strong, unlabelled, info.rng.child('strong-a'));
  const strongB = augmentBatch(parts.strong, unlabelled, info.rng.child('strong-b'));
  const y = tf.concat([
    tf.concat([labelled.y, tf.zeros([nl, nu])], 1),
    tf.concat([targets, graph], 1),
    tf.zeros([nu, C + nu]),
  ]);
  return { x: tf.concat([labelled.x, strongA.x, strongB.x]) as tf.Tensor4D, y: y as tf.Tensor2D, labelledRows: nl };
}

/** Supervised CE + λ_u · masked CE of the first strong views against their pseudo-labels + λ_c · the graph-contrastive loss between the two strong views. */
function coMatchLoss(batch: Batch, info: StepInfo, parts: Parts, norm: Normalization, p: Params): tf.Scalar {
  const nl = labelledRowsOf(batch);
  const nu = (batch.x.shape[0] - nl) / 2;
  const C = parts.numClasses;
  const [logits, embeddings] = forward(parts.network, batch.x as tf.Tensor4D, norm);
  const labelledLogits = rows(logits, 0, nl);
  const labelledY = tf.slice(batch.y, [0, 0], [nl, C]) as tf.Tensor2D;
  const supervised = softCrossEntropy(labelledLogits, labelledY);
  const targets = tf.slice(batch.y, [nl, 0], [nu, C]) as tf.Tensor2D;
  const graph = tf.slice(batch.y, [nl, C], [nu, nu]) as tf.Tensor2D;
  const pseudo = tf.mean(rowCrossEntropy(rows(logits, nl, nu), targets)) as tf.Scalar;
  const contrastive = graphContrastiveLoss(rows(embeddings, nl, nu), rows(embeddings, nl + nu, nu), graph, p.temperature);
  info.track('accuracy', batchAccuracy(labelledLogits, labelledY));
  info.track('unlabelledLoss', pseudo);
  info.track('contrastiveLoss', contrastive);
  return tf.addN([supervised, tf.mul(pseudo, p.unlabelledWeight), tf.mul(contrastive, p.contrastiveWeight)]) as tf.Scalar;
}

/** Trains the recipe's model with CoMatch; checkpoints (the projection's weights and the memory bank with them) go to `<runDir>/checkpoints`. */
export async function trainCoMatch(ctx: StrategyContext, p: Params): Promise<StrategyResult> {
  const { data } = ctx;
  const unlabelled = requireUnlabelledSource(ctx, 'comatch');
  const numClasses = data.classNames.length;
  const built = buildModel(ctx, ctx.model, { rng: ctx.rng.child('init') });
  const network = twoHeadedNetwork(built.model, built.featureDim, p.projectionDim, ctx.rng.child('projection'));
  const parts: Parts = { ...consistencyViews(ctx, p), network, bank: new MemoryBank(p.memorySize, p.projectionDim, numClasses), numClasses };
  try {
    const source = unlabelledBatches(ctx, unlabelled, p);
    const run = await runTraining(ctx, {
      model: built,
      network,
      data: source,
      callbacks: [parts.bank, parts.align, parts.gate.callback].filter((c) => c !== undefined),
      prepare: (batch, info) => coMatchBatch(batch, info, parts, data.normalization, p),
      loss: (batch, info) => coMatchLoss(batch, info, parts, data.normalization, p),
    });
    const evaluation = finalEvaluation(ctx, built.model);
    return { model: built, evaluation, details: { strategy: 'comatch', history: run.history, steps: run.steps, stopReason: run.stopReason } };
  } catch (error) {
    releaseModel(built);
    throw error;
  } finally {
    // The projection's layers go; the model's own layers, shared with the network, stay.
    network.getLayer('comatch_projection_hidden').dispose();
    network.getLayer('comatch_projection').dispose();
  }
}

/**
 * CoMatch (Li, Xiong and Hoi 2021): FixMatch's pseudo-labels, smoothed by the neighbours of each
 * weak view in a memory bank of embeddings, and a graph-contrastive loss that pulls together the
 * embeddings of strong views whose pseudo-labels agree.
 */
export const coMatch: StrategyFactory<Params> = (p) => ({
  run: async (ctx) => trainCoMatch(ctx, p),
});
