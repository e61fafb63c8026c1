import { imageBatch, normalize, type ImageSet, type Normalization } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** `featureModel`'s unit-length features of every image of `set`, in inference mode. */
function unitFeatures(featureModel: LayersModel, set: ImageSet, norm: Normalization, batchSize = 256): tf.Tensor2D {
  const parts: tf.Tensor2D[] = [];
  for (let start = 0; start < set.labels.length; start += batchSize) {
    const indices = Array.from({ length: Math.min(batchSize, set.labels.length - start) }, (_, i) => start + i);
    parts.push(
      tf.tidy(() => {
        const f = featureModel.predict(normalize(imageBatch(set, indices), norm)) as tf.Tensor2D;
        return tf.div(f, tf.add(tf.norm(f, 'euclidean', 1, true), 1e-12));
      }),
    );
  }
  const all = tf.concat(parts);
  tf.dispose(parts);
  return all as tf.Tensor2D;
}

/**
 * Nearest-class-mean scores of `queries` (rows: images, columns: classes): the cosine similarity of
 * each query's features to the mean unit feature of each class's images in `anchors`.
 */
export function nearestMeanLogits(featureModel: LayersModel, anchors: ImageSet, queries: ImageSet, numClasses: number, norm: Normalization): Float32Array {
  const a = unitFeatures(featureModel, anchors, norm);
  const q = unitFeatures(featureModel, queries, norm);
  const scores = tf.tidy(() => {
    const oneHot = tf.oneHot(tf.tensor1d(Array.from(anchors.labels), 'int32'), numClasses);
    const sums = tf.matMul(oneHot, a, true, false);
    const means = tf.div(sums, tf.add(tf.norm(sums, 'euclidean', 1, true), 1e-12));
    return tf.matMul(q, means, false, true);
  });
  const values = scores.dataSync() as Float32Array;
  tf.dispose([a, q, scores]);
  return values;
}
