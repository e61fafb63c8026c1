import { createFrugal } from '@frugal/core';
import { inception } from '@frugal/models-inception';
import { countParams, resnet } from '@frugal/models-resnet';
import * as tf from '@tensorflow/tfjs-core';

/** Builds a ResNet, its plain twin and GoogLeNet, and looks at what each returns. */
export function describeModels() {
  const frugal = createFrugal({ plugins: [resnet(), inception()], seed: 0 });

  // ResNet-20 (CIFAR layout) and Plain-20: the same layers, with and without shortcuts.
  const resnet20 = frugal.models.create('resnet20', { numClasses: 10, inputShape: [32, 32, 3] });
  const plain20 = frugal.models.create('plain20', { numClasses: 10, inputShape: [32, 32, 3] });

  // GoogLeNet: Inception modules; in training, two auxiliary classifiers add their losses.
  const googlenet = frugal.models.create('googlenet', { numClasses: 10, inputShape: [96, 96, 3], auxLossWeight: 0.3 });
  const outputs = tf.tidy(() => {
    const images = tf.zeros([2, 96, 96, 3]);
    const inference = googlenet.model.predict(images) as tf.Tensor; // logits only
    const training = googlenet.trainingModel?.predict(images) as tf.Tensor[]; // [logits, aux1, aux2]
    return { inference: inference.shape, training: training.map((t) => t.shape) };
  });

  const summary = {
    resnet20: { params: countParams(resnet20.model), features: resnet20.featureDim, head: resnet20.model.getLayer('head').name },
    plain20: { params: countParams(plain20.model) },
    googlenet: { params: countParams(googlenet.model), outputs, auxLossWeights: googlenet.auxLossWeights },
  };
  for (const built of [resnet20, plain20, googlenet]) built.model.dispose();
  return summary;
}
