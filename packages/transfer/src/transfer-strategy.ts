import { evaluate, FrugalInputError, type Strategy, type StrategyContext, type StrategyFactory, type StrategyResult } from '@frugal/core';
import { fineTune } from './fine-tune/fine-tune.js';
import { linearProbe } from './linear-probe/linear-probe.js';
import { replaceHead } from './model/replace-head.js';
import type { TransferParams } from './params.js';
import { checkInputShape, decodingNote, loadModelSource, normalizationNote } from './source/model-source.js';

/**
 * Transfer learning: load a pretrained network, replace its classifier with a new head for the
 * data's classes, then train the head alone (`linear-probe`) or everything with discriminative
 * learning rates (`fine-tune`). Evaluates on the test set when there is one.
 */
export async function trainTransfer(ctx: StrategyContext, params: TransferParams): Promise<StrategyResult> {
  const { data } = ctx;
  const numClasses = data.classNames.length;
  if (ctx.init && params.source.type !== 'registry') {
    throw new FrugalInputError(
      `model.init (${ctx.init.path}) and strategy.params.source (${params.source.path}) both name the network to transfer from; ` +
        `leave model.init out, or leave source out to transfer from the recipe's model started from model.init`,
    );
  }
  const loaded = await loadModelSource(params.source, {
    frugal: ctx.frugal,
    models: ctx.models,
    model: ctx.model,
    numClasses,
    inputShape: data.labelled.shape,
    ...(ctx.init ? { init: ctx.init } : {}),
  });
  checkInputShape(loaded, data.labelled.shape, 'source network');
  for (const note of [normalizationNote(loaded, data.normalization, 'source network'), decodingNote(loaded, data.decode, 'source network')]) {
    if (note) ctx.log(note);
  }
  if (params.source.type === 'registry' && !loaded.pretrained && !loaded.initialised) {
    ctx.log(
      `The source network (${loaded.description}) starts from random weights, so there is nothing to transfer; ` +
        `give the model a "weights" parameter or the recipe a model.init, or use a saved-model or checkpoint source.`,
    );
  }
  const tm = replaceHead(
    loaded.model,
    { numClasses, hidden: params.head.hidden, dropout: params.head.dropout, featuresLayer: params.featuresLayer },
    ctx.rng.child('head'),
  );
  ctx.log(`Transfer (${params.mode}) from ${loaded.description}: a new head for ${numClasses} classes on ${tm.featureDim} features`);

  const run = params.mode === 'linear-probe' ? await linearProbe(ctx, tm, params) : await fineTune(ctx, tm, params);
  const evaluation = data.test ? evaluate(tm.model, data.test, { normalization: data.normalization }) : undefined;
  const { history, steps, stopReason } = run;
  return {
    model: { model: tm.model, featureDim: tm.featureDim, pretrained: loaded.pretrained },
    evaluation,
    details: {
      mode: params.mode,
      source: loaded.description,
      history,
      steps,
      stopReason,
      ...('featuresCached' in run ? { featuresCached: run.featuresCached } : {}),
      ...('stages' in run ? { stages: run.stages } : {}),
    },
  };
}

export const transferStrategy: StrategyFactory<TransferParams> = (params): Strategy => ({
  run: (ctx) => trainTransfer(ctx, params),
});
