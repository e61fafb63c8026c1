// One SGD-with-momentum training step (softmax cross-entropy on logits, BatchNorm in training
// mode) through @frugal/core's optimizer, as a Frugal run takes it and as torch_bench.py does in
// PyTorch (torch.optim.SGD, momentum 0.9, no weight decay).
import * as tf from '@tensorflow/tfjs-core';
import { createOptimizer, optimizerSchema } from '@frugal/core';

export function makeTrainer(model, { learningRate = 0.05, momentum = 0.9 } = {}) {
  const optimizer = createOptimizer(optimizerSchema.parse({ name: 'sgd', lr: learningRate, momentum, nesterov: false, weightDecay: 0 }));
  const variables = model.trainableWeights.map((w) => w.val);
  const names = variables.map((v) => v.name);
  return {
    step(x, y) {
      const loss = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true })), variables);
        optimizer.step(variables, names.map((n) => grads[n]), learningRate, names);
        return value;
      });
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
    return { x, y: tf.cast(tf.oneHot(labels, numClasses), 'float32') };
  });
}
