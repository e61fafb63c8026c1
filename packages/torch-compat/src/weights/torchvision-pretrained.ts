import type { PretrainedConfig } from '@frugal/core';

/**
 * The pretrained config of a torchvision ImageNet checkpoint: 224×224 crops of images scaled to
 * 256, ImageNet's mean and standard deviation, and where the weights come from.
 */
export function torchvisionPretrained(file: string, weights: string): PretrainedConfig {
  return {
    inputSize: [224, 224, 3],
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
    interpolation: 'bilinear',
    resizeSize: 256,
    classifier: 'head',
    source: `torchvision ${weights} (${file}; convert with tools/fixtures/torchvision_fixtures.py --from-pth)`,
  };
}
