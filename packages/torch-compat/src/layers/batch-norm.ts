import * as tf from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import type { BatchNormalizationLayerArgs } from '@tensorflow/tfjs-layers/dist/layers/normalization.js';

/** The kernels a backend may provide for batch norm in training (@frugal/runtime-native does). */
export const BATCH_NORM_TRAIN = 'FrugalBatchNormTrain';
export const BATCH_NORM_TRAIN_GRAD = 'FrugalBatchNormTrainGrad';

interface Variable {
  read(): tf.Tensor;
  write(value: tf.Tensor): void;
}

/** The fields of tfjs-layers' BatchNormalization the training path reads. */
interface BatchNormFields {
  axis: number;
  momentum: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma: Variable;
  beta: Variable;
  movingMean: Variable;
  movingVariance: Variable;
}

/**
 * Batch norm's gradients by the batch's own statistics — dx carries the mean's and the variance's
 * dependence on x — with r = 1/sqrt(variance + eps) over the M values of each channel:
 *   dx = γ·r·(dy − Σdy/M − (x−μ)·r²·Σdy(x−μ)/M); dγ = r·Σdy(x−μ); dβ = Σdy.
 * One kernel where the backend has it (two passes over the activations), else tfjs ops.
 */
function trainingGradients(dy: tf.Tensor, x: tf.Tensor, mean: tf.Tensor, variance: tf.Tensor, gamma: tf.Tensor, epsilon: number): tf.Tensor[] {
  if (tf.getKernel(BATCH_NORM_TRAIN_GRAD, tf.getBackend()) && x.dtype === 'float32' && dy.dtype === 'float32') {
    return tf.engine().runKernel(BATCH_NORM_TRAIN_GRAD, { x, dy, mean, variance, scale: gamma }, { varianceEpsilon: epsilon }) as tf.Tensor[];
  }
  const axes = [...Array(x.rank - 1).keys()];
  const count = x.size / x.shape[x.rank - 1]!;
  const r = tf.rsqrt(tf.add(variance, epsilon));
  const centred = tf.sub(x, mean);
  const sumDy = tf.sum(dy, axes);
  const sumDyCentred = tf.sum(tf.mul(dy, centred), axes);
  const dx = tf.mul(
    tf.mul(gamma, r),
    tf.sub(tf.sub(dy, tf.div(sumDy, count)), tf.mul(centred, tf.div(tf.mul(tf.square(r), sumDyCentred), count))),
  );
  return [dx, tf.mul(r, sumDyCentred), sumDy];
}

/**
 * [y, mean, variance] of batch norm by the batch's statistics: one kernel (three passes) where the
 * backend has it, else `tf.moments` and `tf.batchNorm` — the same numbers.
 */
function normalised(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) && x.dtype === 'float32' && x.size > 0) {
    return tf.engine().runKernel(BATCH_NORM_TRAIN, { x, scale: gamma, offset: beta }, { varianceEpsilon: epsilon }) as [tf.Tensor, tf.Tensor, tf.Tensor];
  }
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return [tf.batchNorm(x, mean, variance, beta, gamma, epsilon), mean, variance];
}

/**
 * Batch normalisation of `x` (channels last) by its own batch statistics, as one operation for the
 * gradient tape: tfjs-layers records `tf.moments` kernel by kernel, and its gradient then makes
 * about a dozen passes over the activations where this makes two. Returns the statistics too.
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } {
  let stats: { mean: tf.Tensor; variance: tf.Tensor } | undefined;
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    const [value, mean, variance] = normalised(input, g, b, epsilon);
    save([input, mean, variance, g]);
    stats = { mean: tf.keep(mean.clone()), variance: tf.keep(variance.clone()) };
    return {
      value,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sMean, sVariance, sGamma] = saved as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor];
        return trainingGradients(dy as tf.Tensor, sx, sMean, sVariance, sGamma, epsilon);
      },
    };
  });
  const y = op(x, gamma, beta) as tf.Tensor;
  return { y, ...stats! };
}

/** variable ← variable − (variable − value)·(1 − momentum), as tfjs-layers updates its moving statistics. */
function movingAverage(variable: Variable, value: tf.Tensor, momentum: number): void {
  tf.tidy(() => {
    const original = variable.read();
    variable.write(tf.sub(original, tf.mul(tf.sub(original, value), 1 - momentum)));
  });
}

interface BatchNormLayer {
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
  getConfig(): tf.serialization.ConfigDict;
}
type BatchNormClass = new (args?: BatchNormalizationLayerArgs) => BatchNormLayer;

let torchBatchNorm: BatchNormClass | undefined;

/**
 * tfjs-layers' BatchNormalization with a training pass whose gradient is one operation
 * (`batchNormTraining`). It serialises under the same class name and weight names, so saved models
 * are unchanged; registered for deserialization, it serves every BatchNormalization loaded.
 * Other axes, and layers without centre or scale, take tfjs-layers' path.
 */
export function torchBatchNormClass(): BatchNormClass {
  if (torchBatchNorm) return torchBatchNorm;
  // The class is not exported from tfjs-layers' entry point; take it from an instance (named, so
  // that no automatic layer name is used up).
  const Base = layers.batchNormalization({ name: 'frugal_batch_norm_class' }).constructor as BatchNormClass;
  class TorchBatchNorm extends Base {
    static readonly className = 'BatchNormalization';

    override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
      const fields = this as unknown as BatchNormFields;
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const lastAxis = fields.axis === -1 || fields.axis === x.rank - 1;
      if (kwargs['training'] !== true || !lastAxis || !fields.center || !fields.scale || x.dtype !== 'float32') return super.call(inputs, kwargs);
      return tf.tidy(() => {
        const { y, mean, variance } = batchNormTraining(x, fields.gamma.read(), fields.beta.read(), fields.epsilon);
        movingAverage(fields.movingMean, mean, fields.momentum);
        movingAverage(fields.movingVariance, variance, fields.momentum);
        tf.dispose([mean, variance]);
        return y;
      });
    }
  }
  torchBatchNorm = TorchBatchNorm;
  return torchBatchNorm;
}
