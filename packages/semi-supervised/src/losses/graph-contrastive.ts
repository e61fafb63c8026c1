import * as tf from '@tensorflow/tfjs-core';

/**
 * CoMatch's pseudo-label graph (Li et al. 2021): W_ij = q_i · q_j, 1 on the diagonal, edges below
 * `threshold` cut, rows normalised to sum to 1. Images that probably share a class are neighbours.
 */
export function pseudoLabelGraph(probs: tf.Tensor2D, threshold: number): tf.Tensor2D {
  return tf.tidy(() => {
    const n = probs.shape[0];
    const eye = tf.eye(n);
    const similarity = tf.add(tf.mul(tf.matMul(probs, probs, false, true), tf.sub(1, eye)), eye);
    const kept = tf.mul(similarity, tf.cast(tf.greaterEqual(similarity, threshold), 'float32'));
    return tf.div(kept, tf.sum(kept, -1, true)) as tf.Tensor2D;
  });
}

/**
 * CoMatch's graph-contrastive loss: the embedding graph of two strong views (row i: the softmax over
 * j of z_i · z'_j / temperature, embeddings as unit rows) trained towards the pseudo-label graph:
 * −mean_i Σ_j W_ij log softmax_j. The graph is a target and carries no gradient.
 */
export function graphContrastiveLoss(a: tf.Tensor2D, b: tf.Tensor2D, graph: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const logProbs = tf.logSoftmax(tf.div(tf.matMul(a, b, false, true), temperature));
    return tf.neg(tf.mean(tf.sum(tf.mul(graph, logProbs), -1))) as tf.Scalar;
  });
}
