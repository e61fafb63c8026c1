import * as tf from '@tensorflow/tfjs-core';
import type { ConfidenceGate } from './confidence-gate.js';
import { rowCrossEntropy } from './row-cross-entropy.js';

/** Added to the logits of the classes a row leaves out, so their softmax share is 0. */
const LEFT_OUT = -1e4;

export interface ShrunkTargets {
  /** One-hot rows of the weak view's arg-max, scaled by its confidence; zero rows for images with no shrunk space to learn. */
  readonly targets: tf.Tensor2D;
  /** 1 for the classes each row's shrunk space keeps, 0 for the confusion classes it leaves out. */
  readonly kept: tf.Tensor2D;
  /** The fraction of the images that learn in a shrunk space. */
  readonly shrinkRate: number;
}

/**
 * ShrinkMatch's shrunk class spaces (Yang et al. 2023) for the images the gate leaves out
 * (`gateWeights` 0): the classes ranked second, third, … by the weak view are left out one at a
 * time until the top class's probability among the classes that remain passes the gate. Such an
 * image learns its top class against those remaining classes alone, weighted by its confidence
 * among all classes; an image whose space would shrink to the top class and the last, and still not
 * pass, learns nothing. So an unsure image still says what it is not, without a word on the classes
 * it hesitates between. Images the gate keeps get zero rows. The gate must be a threshold (0 or 1).
 */
export function shrunkTargets(weakLogits: tf.Tensor2D, gateWeights: tf.Tensor1D, gate: ConfidenceGate): ShrunkTargets {
  const [n, numClasses] = weakLogits.shape;
  const logits = weakLogits.dataSync();
  const passed = gateWeights.dataSync();
  const order = Array.from({ length: n }, (_, i) => rankedClasses(logits.subarray(i * numClasses, (i + 1) * numClasses)));
  // Candidate c keeps the top class and the classes ranked c and below: its confidence for every row and c = 2 … C−1.
  const candidates = numClasses - 2;
  const confidences = new Float32Array(n * candidates);
  for (let i = 0; i < n; i++) {
    const row = logits.subarray(i * numClasses, (i + 1) * numClasses);
    const top = row[order[i][0]];
    let tail = 0;
    for (let c = numClasses - 1; c >= 2; c--) {
      tail += Math.exp(row[order[i][c]] - top);
      confidences[i * candidates + c - 2] = 1 / (1 + tail);
    }
  }
  const predicted = Int32Array.from({ length: n * candidates }, (_, k) => order[Math.floor(k / candidates)][0]);
  const passes = tf.tidy(() => gate.weights(tf.tensor1d(confidences), tf.tensor1d(predicted, 'int32')).dataSync());
  const targets = new Float32Array(n * numClasses);
  const kept = new Float32Array(n * numClasses).fill(1);
  let shrunk = 0;
  for (let i = 0; i < n; i++) {
    if (passed[i] > 0 || candidates < 1) continue;
    let c = 2;
    while (c < numClasses - 1 && passes[i * candidates + c - 2] < 1) c++;
    if (passes[i * candidates + c - 2] < 1) continue;
    const row = logits.subarray(i * numClasses, (i + 1) * numClasses);
    for (let r = 1; r < c; r++) kept[i * numClasses + order[i][r]] = 0;
    targets[i * numClasses + order[i][0]] = 1 / softmaxDenominator(row, order[i][0]);
    shrunk++;
  }
  return { targets: tf.tensor2d(targets, [n, numClasses]), kept: tf.tensor2d(kept, [n, numClasses]), shrinkRate: n > 0 ? shrunk / n : 0 };
}

/** The mean over the rows of CE(targets, softmax of the logits over each row's kept classes). */
export function shrunkLoss(logits: tf.Tensor2D, targets: tf.Tensor2D, kept: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(rowCrossEntropy(tf.add(logits, tf.mul(tf.sub(1, kept), LEFT_OUT)), targets)) as tf.Scalar);
}

/** Class indices by logit, highest first (ties by index). */
function rankedClasses(row: ArrayLike<number>): number[] {
  return Array.from({ length: row.length }, (_, k) => k).sort((a, b) => row[b] - row[a] || a - b);
}

/** Σ exp(l − l_top): its inverse is the top class's softmax probability. */
function softmaxDenominator(row: ArrayLike<number>, top: number): number {
  let sum = 0;
  for (let k = 0; k < row.length; k++) sum += Math.exp(row[k] - row[top]);
  return sum;
}
