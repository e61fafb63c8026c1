import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { withInferenceModel } from '../inference/inference-model.js';
import { imageBatch, normalize } from '../data/batches.js';
import type { ImageSet, Normalization } from '../types.js';

export interface ClassReport {
  readonly className: string;
  readonly precision: number;
  readonly recall: number;
  readonly support: number;
}

export interface EvaluationResult {
  readonly accuracy: number;
  /** Top-k accuracy for k = 1..min(5, classes). */
  readonly topK: Record<number, number>;
  /** Mean cross-entropy. */
  readonly loss: number;
  /** `confusion[true][predicted]` counts. */
  readonly confusion: number[][];
  readonly perClass: ClassReport[];
  readonly count: number;
}

/** Metrics from predicted logits (`[n, c]`, row-major) and true labels. */
export function metricsFromLogits(
  logits: Float32Array,
  labels: Int32Array,
  classNames: readonly string[],
): EvaluationResult {
  const c = classNames.length;
  const n = labels.length;
  if (logits.length !== n * c) {
    throw new Error(`metricsFromLogits: ${logits.length} logits for ${n} labels × ${c} classes`);
  }
  const confusion = Array.from({ length: c }, () => new Array<number>(c).fill(0));
  const maxK = Math.min(5, c);
  const topHits = new Array<number>(maxK + 1).fill(0);
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const row = logits.subarray(i * c, (i + 1) * c);
    const y = labels[i] as number;
    let best = 0;
    let max = -Infinity;
    for (let j = 0; j < c; j++) if ((row[j] as number) > max) [max, best] = [row[j] as number, j];
    let sum = 0;
    for (let j = 0; j < c; j++) sum += Math.exp((row[j] as number) - max);
    loss += -((row[y] as number) - max - Math.log(sum));
    const row_ = confusion[y] as number[];
    row_[best] = (row_[best] as number) + 1;
    let rank = 0;
    for (let j = 0; j < c; j++) if ((row[j] as number) > (row[y] as number)) rank++;
    for (let k = rank + 1; k <= maxK; k++) topHits[k] = (topHits[k] as number) + 1;
  }
  const topK: Record<number, number> = {};
  for (let k = 1; k <= maxK; k++) topK[k] = n ? (topHits[k] as number) / n : 0;
  const perClass = classNames.map((className, j) => {
    const tp = (confusion[j] as number[])[j] as number;
    const support = (confusion[j] as number[]).reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + (row[j] as number), 0);
    return { className, precision: predicted ? tp / predicted : 0, recall: support ? tp / support : 0, support };
  });
  return { accuracy: topK[1] ?? 0, topK, loss: n ? loss / n : 0, confusion, perClass, count: n };
}

/** Runs `model` (inference mode, batch norms folded) over every image of `set` and returns the logits. */
export function predictLogits(
  model: LayersModel,
  set: ImageSet,
  options: { batchSize?: number; normalization?: Normalization } = {},
): Float32Array {
  const n = set.labels.length;
  const batchSize = options.batchSize ?? 256;
  return withInferenceModel(model, (inference) => {
    let out: Float32Array | null = null;
    for (let start = 0; start < n; start += batchSize) {
      const indices = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
      const logits = tf.tidy(() => {
        const x = imageBatch(set, indices);
        return inference.predict(options.normalization ? normalize(x, options.normalization) : x) as tf.Tensor2D;
      });
      const values = logits.dataSync() as Float32Array;
      const c = logits.shape[1];
      logits.dispose();
      out ??= new Float32Array(n * c);
      out.set(values, start * c);
    }
    return out ?? new Float32Array(0);
  });
}

/** Accuracy, top-k, per-class precision/recall and the confusion matrix of `model` on `set`. */
export function evaluate(
  model: LayersModel,
  set: ImageSet,
  options: { batchSize?: number; normalization?: Normalization } = {},
): EvaluationResult {
  const labelled = set.labels.every((y) => y >= 0);
  if (!labelled) throw new Error('evaluate: every image of the evaluation set needs a label');
  return metricsFromLogits(predictLogits(model, set, options), set.labels, set.classNames);
}
