// The benchmark's networks, built by Frugal's model registry as a run builds them: ResNet-8 and
// ResNet-20 in the CIFAR layout with projection shortcuts (`shortcut: 'projection'`), ResNet-18 in
// torchvision's layout — the same networks as torch_bench.py builds in PyTorch: 3×3 convolutions
// without bias padded as PyTorch pads them, batch norm (momentum 0.1, eps 1e-5; trained as one
// operation), ReLU, 1×1 convolution + batch norm shortcuts where the shape changes, global average
// pooling and a dense classifier producing logits.
import { createFrugal } from '@frugal/core';
import { resnet } from '@frugal/models-resnet';

function build(name, params) {
  return ({ inputShape, numClasses = 10, seed = 1 }) =>
    createFrugal({ plugins: [resnet()], seed }).models.create(name, { numClasses, inputShape, ...params }).model;
}

export const MODELS = {
  'resnet8': { build: build('resnet8', { shortcut: 'projection' }), inputShape: [28, 28, 1], batchSize: 64 },
  'resnet20': { build: build('resnet20', { shortcut: 'projection' }), inputShape: [32, 32, 3], batchSize: 32 },
  'resnet18': { build: build('resnet18', {}), inputShape: [64, 64, 3], batchSize: 16 },
};
