// One SGD-with-momentum training step (softmax cross-entropy on logits, BatchNorm in training
// mode), as torch_bench.py does in PyTorch.
import * as tf from '@tensorflow/tfjs-core';

export function makeTrainer(model, { learningRate = 0.05, momentum = 0.9 } = {}) {
  const optimizer = tf.train.momentum(learningRate, momentum);
  return {
    step(x, y) {
      const loss = optimizer.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })), true);
      const value = loss.dataSync()[0];
      loss.dispose();
      return value;
    },
    dispose() {
      optimizer.dispose();
    },
  };
}

export function syntheticBatch(inputShape, batchSize, numClasses, seed = 7) {
  return tf.tidy(() => {
    const x = tf.randomNormal([batchSize, ...inputShape], 0, 1, 'float32', seed);
    const labels = tf.randomUniform([batchSize], 0, numClasses, 'int32', seed + 1);
    return { x, y: tf.cast(tf.oneHot(labels, numClasses), "float32") };
  });
}
