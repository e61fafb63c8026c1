import { imageBatch, normalize, withInferenceModel, type ImageSet, type Normalization } from '@frugal/core';
import type { FeatureCache } from '@frugal/transfer';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Runs a (possibly multi-output) network in inference mode over every image of `set` and keeps
 * each output: the teacher's logits (and hint features), computed once.
 */
export function predictOutputs(model: LayersModel, set: ImageSet, normalization: Normalization, batchSize = 128): FeatureCache[] {
  const count = set.labels.length;
  const caches: { values: Float32Array; shape: number[]; size: number }[] = [];
  withInferenceModel(model, (inference) => {
    for (let start = 0; start < count; start += batchSize) {
      const indices = Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
      const out = tf.tidy(() => {
        const result = inference.predict(normalize(imageBatch(set, indices), normalization));
        return Array.isArray(result) ? result : [result];
      });
      out.forEach((t, k) => {
        if (start === 0) {
          const shape = t.shape.slice(1);
          const size = shape.reduce((a, b) => a * b, 1);
          caches[k] = { values: new Float32Array(count * size), shape, size };
        }
        const cache = caches[k] as { values: Float32Array; size: number };
        cache.values.set(t.dataSync() as Float32Array, start * cache.size);
      });
      tf.dispose(out);
    }
  });
  return caches.map((c) => ({ ...c, count }));
}
