import { batchAccuracy, normalize, softCrossEntropy, withAuxiliaryLosses, type Batch, type StepInfo } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { labelledRowsOf } from '../../data/mixed-batch-source.js';
import { rowCrossEntropy, rows } from '../../losses/row-cross-entropy.js';
import type { FixMatchBatch } from './fixmatch-batch.js';
import type { FixMatchRun } from './fixmatch-run.js';
import type { TermPass } from './term.js';

/** Columns `start` to `start + width` of rows `from` to `from + count`. */
function block(y: tf.Tensor2D, from: number, count: number, start: number, width: number): tf.Tensor2D {
  return tf.slice(y, [from, start], [count, width]) as tf.Tensor2D;
}

/**
 * Supervised CE on the labelled rows + λ_u · mean CE of the strong views against their pseudo-labels
 * + each term's weight times its loss, in the terms' order.
 */
export function fixMatchLoss(run: FixMatchRun, batch: Batch, info: StepInfo): tf.Scalar {
  const { layout } = batch as FixMatchBatch;
  const nl = labelledRowsOf(batch);
  // The strong views end where the first term's rows begin.
  const nu = (layout.find((l) => l.rows)?.rows?.start ?? batch.x.shape[0]) - nl;
  const out = run.network.apply(normalize(batch.x, run.normalization), { training: true }) as tf.Tensor2D | tf.Tensor2D[];
  const outputs = (Array.isArray(out) ? out : [out]) as tf.Tensor2D[];
  // The run's own heads come last: the pseudo head, then the terms' heads in their order.
  const heads = outputs.splice(outputs.length - (run.p.decoupledHead ? 1 : 0) - run.terms.filter((t) => t.head).length);
  const pseudoHead = run.p.decoupledHead ? heads.shift() : undefined;
  const [logits, ...aux] = outputs as [tf.Tensor2D, ...tf.Tensor2D[]];
  const numClasses = logits.shape[1];
  const labelledLogits = rows(logits, 0, nl);
  const labelledY = block(batch.y, 0, nl, 0, numClasses);
  const supervised = softCrossEntropy(labelledLogits, labelledY);
  const strongLogits = rows(pseudoHead ?? logits, nl, nu);
  const pseudoLabels = block(batch.y, nl, nu, 0, numClasses);
  const consistency = tf.mean(rowCrossEntropy(strongLogits, pseudoLabels)) as tf.Scalar;
  let combined = tf.add(supervised, tf.mul(consistency, run.p.unlabelledWeight)) as tf.Scalar;
  run.terms.forEach((term, i) => {
    const { columns, rows: own } = layout[i]!;
    const head = term.head ? heads.shift() : undefined;
    const pass: TermPass = {
      info,
      strongLogits,
      pseudoLabels,
      ...(columns ? { carried: block(batch.y, nl, nu, columns.start, columns.width) } : {}),
      ...(head ? { head: rows(head, nl, nu) } : {}),
      ...(own
        ? {
            rows: {
              logits: rows(logits, own.start, own.count),
              ...(head ? { head: rows(head, own.start, own.count) } : {}),
              targets: block(batch.y, own.start, own.count, 0, own.width),
            },
          }
        : {}),
    };
    const value = term.loss(pass);
    info.track(`${term.name}Loss`, value);
    combined = tf.add(combined, tf.mul(value, term.weight));
  });
  const loss = withAuxiliaryLosses(combined, run.built, aux, (a) => softCrossEntropy(rows(a, 0, nl), labelledY));
  info.track('accuracy', batchAccuracy(labelledLogits, labelledY));
  info.track('unlabelledLoss', consistency);
  return loss;
}
