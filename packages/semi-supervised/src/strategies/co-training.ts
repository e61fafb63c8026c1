import {
  applyInitialWeights,
  augmentBatch,
  batchAccuracy,
  buildModel,
  finalEvaluation,
  loadInitialWeights,
  normalize,
  requireUnlabelledSource,
  runTraining,
  modelCardFields,
  saveModel,
  softCrossEntropy,
  type Batch,
  type BuiltModel,
  type Normalization,
  type StepInfo,
  type Strategy,
  type StrategyContext,
  type StrategyFactory,
  type StrategyResult,
  releaseModel,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { join } from 'node:path';
import { z } from 'zod';
import { consistencyParams, consistencyViews, unlabelledBatches, type ConsistencyViews } from './consistency-parts.js';
import { labelledRowsOf, type MixedBatch } from '../data/mixed-batch-source.js';
import { fixMatchTargets } from '../losses/fixmatch-loss.js';
import { rowCrossEntropy, rows } from '../losses/row-cross-entropy.js';

export const coTrainingParams = z.strictObject({
  ...consistencyParams,
  /**
   * Where the second network starts: a saved model of the recipe's architecture (a run directory or
   * its `model/` folder). The two must start apart (another pretext, another labelled training) for
   * their pseudo-labels to differ.
   */
  peerInit: z.string().min(1),
  /**
   * `cross`: each network's strong views learn the other's confident weak-view predictions
   * (co-training); `mean`: both learn the pair's mean prediction.
   */
  pseudoLabels: z.enum(['cross', 'mean']).default('cross'),
});

export type CoTrainingParams = z.input<typeof coTrainingParams>;
type Params = z.output<typeof coTrainingParams>;
type Pair<T> = [T, T];

/** The two networks as one: `training` outputs both logits, `mean` their mean (the pair's prediction). */
function pairNetworks(a: BuiltModel, b: BuiltModel): { training: LayersModel; mean: LayersModel } {
  const shape = a.model.inputs[0]!.shape.slice(1) as number[];
  const input = tfl.input({ shape });
  const [la, lb] = [a, b].map((m, i) => {
    const named = tfl.model({ inputs: m.model.inputs, outputs: m.model.outputs[0] as SymbolicTensor, name: `network_${i + 1}` });
    return named.apply(input) as SymbolicTensor;
  }) as Pair<SymbolicTensor>;
  return {
    training: tfl.model({ inputs: input, outputs: [la, lb], name: 'co_training' }),
    mean: tfl.model({ inputs: input, outputs: tfl.layers.average().apply([la, lb]) as SymbolicTensor, name: 'co_training_mean' }),
  };
}

function bothLogits(net: LayersModel, x: tf.Tensor4D): Pair<tf.Tensor2D> {
  return net.apply(x, { training: true }) as Pair<tf.Tensor2D>;
}

/** A network's weak-view probabilities, after its distribution alignment. */
function alignedProbabilities(views: ConsistencyViews, logits: tf.Tensor2D): tf.Tensor2D {
  const probs = tf.softmax(logits) as tf.Tensor2D;
  return views.align ? views.align.align(probs) : probs;
}

/**
 * Before the gradient tape: one weak and one strong view of each unlabelled image, both networks'
 * predictions on the weak views, and each network's pseudo-labels. The batch holds the labelled
 * views, then the strong views; its targets are two blocks of columns, the first network's then
 * the second's.
 */
function coTrainingBatch(net: LayersModel, views: Pair<ConsistencyViews>, batch: Batch, info: StepInfo, norm: Normalization, p: Params): MixedBatch {
  const nl = labelledRowsOf(batch);
  const nu = batch.x.shape[0] - nl;
  const [first] = views;
  const labelled = augmentBatch(first.labelled, { x: rows(batch.x, 0, nl), y: rows(batch.y, 0, nl) }, info.rng.child('labelled'));
  const unlabelled = { x: rows(batch.x, nl, nu), y: rows(batch.y, nl, nu) };
  const weak = augmentBatch(first.weak, unlabelled, info.rng.child('weak'));
  const [la, lb] = bothLogits(net, normalize(weak.x, norm));
  const [pa, pb] = [alignedProbabilities(views[0], la), alignedProbabilities(views[1], lb)];
  // The probabilities each network learns from: the other's, or the pair's mean.
  const mean = p.pseudoLabels === 'mean' ? (tf.div(tf.add(pa, pb), 2) as tf.Tensor2D) : undefined;
  const sources: Pair<tf.Tensor2D> = mean ? [mean, mean] : [pb, pa];
  const targets = sources.map((source, i) => {
    // Aligned probabilities as logits: their softmax gives them back.
    const { gate } = views[i]!;
    gate.update(source);
    const { targets: t, maskRate } = fixMatchTargets(tf.log(source) as tf.Tensor2D, gate);
    info.track(`maskRate${i + 1}`, maskRate);
    return t;
  });
  const strong = augmentBatch(first.strong, unlabelled, info.rng.child('strong'));
  return {
    x: tf.concat([labelled.x, strong.x]),
    y: tf.concat([tf.concat([labelled.y, labelled.y], 1), tf.concat(targets, 1)]),
    labelledRows: nl,
  };
}

/** Each network: supervised CE on the labelled rows + λ_u · mean CE of the strong views against its pseudo-labels. */
function coTrainingLoss(net: LayersModel, batch: Batch, info: StepInfo, norm: Normalization, p: Params): tf.Scalar {
  const nl = labelledRowsOf(batch);
  const nu = batch.x.shape[0] - nl;
  const classes = batch.y.shape[1]! / 2;
  const logits = bothLogits(net, normalize(batch.x, norm));
  const losses = logits.map((l, i) => {
    const y = tf.slice(batch.y, [0, i * classes], [-1, classes]) as tf.Tensor2D;
    const labelledLogits = rows(l, 0, nl);
    const labelledY = rows(y, 0, nl);
    const consistency = tf.mean(rowCrossEntropy(rows(l, nl, nu), rows(y, nl, nu))) as tf.Scalar;
    info.track(`accuracy${i + 1}`, batchAccuracy(labelledLogits, labelledY));
    info.track(`unlabelledLoss${i + 1}`, consistency);
    return tf.add(softCrossEntropy(labelledLogits, labelledY), tf.mul(consistency, p.unlabelledWeight)) as tf.Scalar;
  });
  return tf.add(losses[0]!, losses[1]!) as tf.Scalar;
}

/** The second network of the pair, started from `peerInit`. */
async function buildPeer(ctx: StrategyContext, p: Params): Promise<BuiltModel> {
  const peer = buildModel({ ...ctx, init: undefined }, ctx.model, { rng: ctx.rng.child('peer-init') });
  const init = await loadInitialWeights(p.peerInit, 'strategy.params.peerInit').catch((error: unknown) => {
    releaseModel(peer);
    throw error;
  });
  try {
    const { copied } = applyInitialWeights(peer.model, init, ctx.model.name);
    ctx.log(`co-training: the second network starts from ${init.path} (${copied} weights copied)`);
    return peer;
  } catch (error) {
    releaseModel(peer);
    throw error;
  } finally {
    init.dispose();
  }
}

/** Saves the second network under `<runDir>/peer/model`, for ensembles and teachers after the run. */
async function savePeer(ctx: StrategyContext, peer: BuiltModel): Promise<void> {
  if (!ctx.runDir) return;
  await saveModel(peer.model, join(ctx.runDir, 'peer', 'model'), modelCardFields(ctx.model.name, ctx.data));
}

/** Trains two networks side by side, each from the other's pseudo-labels; the run's model is the first. */
export async function trainCoTraining(ctx: StrategyContext, p: Params): Promise<StrategyResult> {
  const unlabelled = requireUnlabelledSource(ctx, 'co-training');
  const first = buildModel(ctx, ctx.model, { rng: ctx.rng.child('init') });
  let peer: BuiltModel | undefined;
  try {
    peer = await buildPeer(ctx, p);
    const pair = pairNetworks(first, peer);
    const views: Pair<ConsistencyViews> = [consistencyViews(ctx, p, '-1'), consistencyViews(ctx, p, '-2')];
    const { training } = pair;
    const norm = ctx.data.normalization;
    const run = await runTraining(ctx, {
      model: first,
      network: training,
      data: unlabelledBatches(ctx, unlabelled, p),
      callbacks: views.flatMap((v) => [v.gate.callback, v.align]).filter((c) => c !== undefined),
      prepare: (batch, info) => coTrainingBatch(training, views, batch, info, norm, p),
      loss: (batch, info) => coTrainingLoss(training, batch, info, norm, p),
    });
    const peerEvaluation = finalEvaluation(ctx, peer.model);
    const meanEvaluation = finalEvaluation(ctx, pair.mean);
    const evaluation = finalEvaluation(ctx, first.model);
    const percent = (e: typeof evaluation) => (e ? `${(e.accuracy * 100).toFixed(2)}%` : 'not evaluated');
    ctx.log(`co-training: first network ${percent(evaluation)}, second ${percent(peerEvaluation)}, their mean logits ${percent(meanEvaluation)}`);
    await savePeer(ctx, peer);
    return {
      model: first,
      evaluation,
      details: {
        strategy: 'co-training',
        peerAccuracy: peerEvaluation?.accuracy,
        meanAccuracy: meanEvaluation?.accuracy,
        history: run.history,
        steps: run.steps,
        stopReason: run.stopReason,
      },
    };
  } catch (error) {
    releaseModel(first);
    throw error;
  } finally {
    if (peer) releaseModel(peer);
  }
}

/**
 * Co-training (Blum & Mitchell 1998; deep form: Qiao et al. 2018, cross pseudo supervision): two
 * networks from different starting points train side by side on the same batches, each learning
 * FixMatch's consistency from the other's confident predictions, so that one network's errors are
 * not its own teacher's.
 */
export const coTraining: StrategyFactory<Params> = (p): Strategy => ({
  run: async (ctx) => trainCoTraining(ctx, p),
});
