import * as tf from '@tensorflow/tfjs-core';

/**
 * FreeMatch's self-adaptive fairness loss (Wang et al. 2023; as USB computes it), to be minimised:
 * Σ_c p̂(c) · log q̂(c). p̂ is the model's moving-average prediction on weak views divided by its
 * moving-average histogram of weak-view arg-maxes (both kept by the self-adaptive threshold); q̂ is
 * the mean prediction on the strong views that passed their threshold divided by those views'
 * histogram of arg-maxes; each is renormalised to sum to 1. Its gradient moves the confident strong
 * views' mean prediction towards the classes p̂ holds least of. The histograms and the moving
 * averages carry no gradient (they are read as numbers); with no view past its threshold it is 0.
 */
export function selfAdaptiveFairness(
  strongLogits: tf.Tensor2D,
  mask: tf.Tensor1D,
  modelProbability: readonly number[],
  modelHistogram: readonly number[],
): tf.Scalar {
  return tf.tidy(() => {
    const numClasses = strongLogits.shape[1];
    const probs = tf.softmax(strongLogits);
    const kept = mask.dataSync();
    const predicted = tf.argMax(probs, -1).dataSync();
    const histogram = new Array<number>(numClasses).fill(0);
    predicted.forEach((c, i) => (histogram[c] = (histogram[c] as number) + (kept[i] as number)));
    const count = histogram.reduce((a, b) => a + b, 0);
    if (count === 0) return tf.scalar(0);
    const meanProbability = tf.div(tf.sum(tf.mul(probs, tf.expandDims(mask, 1)), 0), count);
    const strong = tf.mul(meanProbability, tf.tensor1d(inverseOrZero(histogram)));
    const strongNormalised = tf.div(strong, tf.sum(strong));
    const modelScale = inverseOrZero(modelHistogram);
    const model = modelProbability.map((p, c) => p * (modelScale[c] as number));
    const total = model.reduce((a, b) => a + b, 0);
    return tf.sum(tf.mul(tf.tensor1d(model.map((v) => v / total)), tf.log(tf.add(strongNormalised, 1e-12)))) as tf.Scalar;
  });
}

/** 1/h where h > 0, 0 elsewhere (a class no view predicted drops out). */
function inverseOrZero(histogram: readonly number[]): number[] {
  return histogram.map((h) => (h > 0 ? 1 / h : 0));
}
