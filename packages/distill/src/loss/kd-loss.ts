import * as tf from '@tensorflow/tfjs-core';

/** The teacher's soft labels: softmax(teacherLogits / T). Higher T, softer (T -> ∞: uniform). */
export function softTargets(teacherLogits: tf.Tensor2D, temperature: number): tf.Tensor2D {
  return tf.tidy(() => tf.softmax(tf.div(teacherLogits, temperature)) as tf.Tensor2D);
}

/**
 * Hinton et al.'s distillation term: T² · KL(softmax(t/T) ‖ softmax(s/T)), averaged over the rows.
 * The T² keeps its gradient, T · (softmax(s/T) − softmax(t/T)) / n per logit, on the scale of
 * the cross-entropy's as T changes.
 */
export function kdLoss(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const logP = tf.logSoftmax(tf.div(teacherLogits, temperature));
    const logQ = tf.logSoftmax(tf.div(studentLogits, temperature));
    const kl = tf.sum(tf.mul(tf.exp(logP), tf.sub(logP, logQ)), -1);
    return tf.mul(tf.mean(kl), temperature * temperature) as tf.Scalar;
  });
}

/**
 * Cross-entropy over the labelled rows only: each row weighs by the mass of its target (1 for a
 * one-hot or smoothed label, 0 for an unlabelled image's all-zero row). Zero when no row is labelled.
 */
export function labelledCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => {
    const perRow = tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1));
    const labelled = tf.sum(targets);
    return tf.div(tf.sum(perRow), tf.maximum(labelled, 1e-12)) as tf.Scalar;
  });
}

export interface DistillationOptions {
  /** T: softens both distributions in the KL term. */
  readonly temperature: number;
  /** α: weight of the distillation term; 1 − α weighs the cross-entropy with the labels. */
  readonly alpha: number;
}

export interface DistillationLoss {
  readonly loss: tf.Scalar;
  /** T² · KL term (every row). */
  readonly kd: tf.Scalar;
  /** Cross-entropy with the labels (labelled rows only). */
  readonly ce: tf.Scalar;
}

/**
 * loss = α · T² · KL(softmax(t/T) ‖ softmax(s/T)) + (1 − α) · CE(s, y).
 * Rows of `targets` that are all zero are unlabelled images: they get the KL term only.
 */
export function distillationLoss(
  studentLogits: tf.Tensor2D,
  teacherLogits: tf.Tensor2D,
  targets: tf.Tensor2D,
  options: DistillationOptions,
): DistillationLoss {
  const kd = kdLoss(studentLogits, teacherLogits, options.temperature);
  const ce = labelledCrossEntropy(studentLogits, targets);
  const loss = tf.tidy(() => tf.add(tf.mul(kd, options.alpha), tf.mul(ce, 1 - options.alpha)) as tf.Scalar);
  return { loss, kd, ce };
}

/** How often the student's top class is the teacher's. */
export function teacherAgreement(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(studentLogits, -1), tf.argMax(teacherLogits, -1)), 'float32')) as tf.Scalar);
}
