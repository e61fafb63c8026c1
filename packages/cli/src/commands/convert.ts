import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { MAX_CLASSES, MAX_INPUT_SIDE, saveModel, type ImageDecoding, type PretrainedConfig } from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';

export interface ConvertFlags {
  model: string;
  out: string;
  numClasses?: string;
  inputSize?: string;
  force?: boolean;
  backend?: string;
}

const KERNELS = { bilinear: 'linear', bicubic: 'cubic', nearest: 'nearest' } as const;

/**
 * How images are fitted for weights of this kind at `size` pixels a side: the evaluation transform
 * they were trained for (torchvision's: the shorter side to 256, then the centre 224), scaled.
 */
export function pretrainedDecoding(pretrained: PretrainedConfig | undefined, size: number): ImageDecoding {
  const kernel = KERNELS[pretrained?.interpolation ?? 'bilinear'];
  if (!pretrained?.resizeSize) return { resize: 'shorter-side-crop', kernel };
  return { resize: 'shorter-side-crop', shorterSide: Math.round((size * pretrained.resizeSize) / (pretrained.inputSize[0] as number)), kernel };
}

/** `frugal convert WEIGHTS --model NAME --out DIR` — torchvision/timm safetensors -> tfjs model directory. */
export async function convert(weights: string, flags: ConvertFlags, out: Output): Promise<number> {
  if (!existsSync(weights)) throw new UsageError(`Weights file ${weights} does not exist`);
  const dir = resolve(flags.out);
  if (existsSync(dir) && !flags.force) throw new UsageError(`${dir} already exists; choose another --out or pass --force to overwrite it`);
  const numClasses = Number(flags.numClasses ?? 1000);
  const size = Number(flags.inputSize ?? 224);
  if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > MAX_CLASSES) {
    throw new UsageError(`--num-classes must be a whole number from 1 to ${MAX_CLASSES}, got ${flags.numClasses}`);
  }
  if (!Number.isInteger(size) || size < 1 || size > MAX_INPUT_SIDE) {
    throw new UsageError(`--input-size must be a whole number from 1 to ${MAX_INPUT_SIDE}, got ${flags.inputSize}`);
  }
  const frugal = await frugalWith();
  await activateBackend(frugal, flags.backend ?? 'auto');
  const built = frugal.models.create(flags.model, { numClasses, inputShape: [size, size, 3], weights: resolve(weights) });
  const pretrained = built.pretrained;
  await saveModel(
    built.model,
    dir,
    {
      model: flags.model,
      classNames: Array.from({ length: numClasses }, (_, i) => String(i)),
      inputShape: [size, size, 3],
      normalization: { mean: [...(pretrained?.mean ?? [0.485, 0.456, 0.406])], std: [...(pretrained?.std ?? [0.229, 0.224, 0.225])] },
      decode: pretrainedDecoding(pretrained, size),
    },
    { overwrite: flags.force },
  );
  out.result({ dir, model: flags.model, numClasses }, () => `Wrote ${flags.model} with the weights of ${weights} to ${dir}`);
  return 0;
}
