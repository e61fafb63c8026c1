import { predictLogits, type ImageSet, type Normalization } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { unitRows } from './unit-rows.js';

/** `featureModel`'s unit-length features of every image of `set`, in inference mode. */
function unitFeatures(featureModel: LayersModel, set: ImageSet, normalization: Normalization): tf.Tensor2D {
  const values = predictLogits(featureModel, set, { normalization });
  return tf.tidy(() => unitRows(tf.tensor2d(values, [set.labels.length, values.length / set.labels.length])));
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
    return tf.matMul(q, unitRows(tf.matMul(oneHot, a, true, false)), false, true);
  });
  const values = scores.dataSync() as Float32Array;
  tf.dispose([a, q, scores]);
  return values;
}
