import type { PretrainedConfig } from '@frugal/core';
import { RESNET_VARIANTS } from '@frugal/models-resnet';
import { describe, expect, it } from 'vitest';
import { pretrainedDecoding } from './convert.js';

describe('pretrainedDecoding', () => {
  it("fits images as torchvision's evaluation transform does: the shorter side to 256, then the centre 224", () => {
    expect(pretrainedDecoding(RESNET_VARIANTS.resnet18.pretrained, 224)).toEqual({ resize: 'shorter-side-crop', shorterSide: 256, kernel: 'linear' });
    const inceptionV3: PretrainedConfig = { ...RESNET_VARIANTS.resnet50.pretrained, inputSize: [299, 299, 3], resizeSize: 342 };
    expect(pretrainedDecoding(inceptionV3, 299)).toEqual({ resize: 'shorter-side-crop', shorterSide: 342, kernel: 'linear' });
  });

  it('keeps the same margin at another input size, and the weights\' interpolation', () => {
    expect(pretrainedDecoding(RESNET_VARIANTS.resnet50.pretrained, 112)).toEqual({ resize: 'shorter-side-crop', shorterSide: 128, kernel: 'linear' });
    const bicubic: PretrainedConfig = { ...RESNET_VARIANTS.resnet50.pretrained, interpolation: 'bicubic' };
    expect(pretrainedDecoding(bicubic, 160)).toEqual({ resize: 'shorter-side-crop', shorterSide: 183, kernel: 'cubic' });
  });

  it('scales the whole image to cover the input where the weights name no margin', () => {
    expect(pretrainedDecoding(RESNET_VARIANTS.resnet20.pretrained, 32)).toEqual({ resize: 'shorter-side-crop', kernel: 'linear' });
    expect(pretrainedDecoding(undefined, 64)).toEqual({ resize: 'shorter-side-crop', kernel: 'linear' });
  });
});
