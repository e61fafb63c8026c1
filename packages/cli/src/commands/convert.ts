import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MAX_CLASSES, MAX_INPUT_SIDE, releaseModel, saveModel, type BuiltModel, type ImageDecoding, type PretrainedConfig } from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';

export interface ConvertFlags {
  model: string;
  out: string;
  numClasses?: string;
  classNames?: string;
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

/** Largest class-names file read. */
const MAX_CLASS_NAMES_BYTES = 10_000_000;

/** The class names of a text file, one a line (blank lines and surrounding spaces left out). */
function readClassNames(file: string): string[] {
  if (!existsSync(file)) throw new UsageError(`--class-names: ${file} does not exist`);
  const info = statSync(file);
  if (!info.isFile()) throw new UsageError(`--class-names: ${file} is not a file; give a text file with one class name a line`);
  const size = info.size;
  if (size > MAX_CLASS_NAMES_BYTES) throw new UsageError(`--class-names: ${file} is ${size.toLocaleString('en')} bytes; a class-names file may be at most ${MAX_CLASS_NAMES_BYTES.toLocaleString('en')}`);
  const names = readFileSync(file, 'utf8').split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '');
  const long = names.findIndex((name) => name.length > 1000);
  if (long >= 0) throw new UsageError(`--class-names: class ${long + 1} of ${file} is ${names[long]!.length} characters long; a class name may have at most 1,000`);
  if (names.length === 0) throw new UsageError(`--class-names: ${file} names no classes; write one class name a line`);
  const twice = names.findIndex((name, i) => names.indexOf(name) !== i);
  if (twice >= 0) {
    throw new UsageError(`--class-names: ${file} names "${names[twice]}" twice (classes ${names.indexOf(names[twice]!) + 1} and ${twice + 1}); give each class a name of its own`);
  }
  return names;
}

/** `frugal convert WEIGHTS --model NAME --out DIR` — torchvision/timm safetensors -> tfjs model directory. */
export async function convert(weights: string, flags: ConvertFlags, out: Output): Promise<number> {
  if (!existsSync(weights)) throw new UsageError(`Weights file ${weights} does not exist`);
  const dir = resolve(flags.out);
  if (existsSync(dir) && !flags.force) throw new UsageError(`${dir} already exists; choose another --out or pass --force to overwrite it`);
  // --force replaces a model folder, never another one (a folder of photos, a run).
  if (existsSync(dir) && !existsSync(join(dir, 'frugal.json')) && !existsSync(join(dir, 'model.json'))) {
    throw new UsageError(`${dir} exists and is not a model folder (no frugal.json or model.json); --force replaces only a model folder: choose another --out`);
  }
  const classNames = flags.classNames !== undefined ? readClassNames(flags.classNames) : undefined;
  const numClasses = Number(flags.numClasses ?? classNames?.length ?? 1000);
  const frugal = await frugalWith();
  // By default, the input size the model's pretrained weights were trained at (299 for Inception v3).
  const pretrainedSize = frugal.models.has(flags.model) ? frugal.models.get(flags.model).pretrained?.inputSize[0] : undefined;
  const size = Number(flags.inputSize ?? pretrainedSize ?? 224);
  if (!Number.isInteger(numClasses) || numClasses < 1 || numClasses > MAX_CLASSES) {
    throw new UsageError(`--num-classes must be a whole number from 1 to ${MAX_CLASSES}, got ${flags.numClasses ?? numClasses}`);
  }
  if (classNames && classNames.length !== numClasses) {
    throw new UsageError(`--class-names: ${flags.classNames} names ${classNames.length} classes; the head has ${numClasses} (--num-classes). Give one name a class`);
  }
  if (!Number.isInteger(size) || size < 1 || size > MAX_INPUT_SIDE) {
    throw new UsageError(`--input-size must be a whole number from 1 to ${MAX_INPUT_SIDE}, got ${flags.inputSize}`);
  }
  await activateBackend(frugal, flags.backend ?? 'auto');
  const built: BuiltModel & { weightsReport?: { skipped: readonly { reason: string }[] } } = frugal.models.create(flags.model, {
    numClasses,
    inputShape: [size, size, 3],
    weights: resolve(weights),
  });
  const pretrained = built.pretrained;
  const headSkipped = built.weightsReport?.skipped.find((s) => s.reason.startsWith('class count differs'));
  if (headSkipped) {
    out.note(
      `The file's classifier was not loaded (${headSkipped.reason}): the model's head starts from random weights. ` +
        `Train it before predicting with it: a recipe whose model.init is ${dir}, or the transfer strategy with it as source`,
    );
  }
  try {
    await saveModel(
      built.model,
      dir,
      {
        model: flags.model,
        classNames: classNames ?? Array.from({ length: numClasses }, (_, i) => String(i)),
        inputShape: [size, size, 3],
        normalization: { mean: [...(pretrained?.mean ?? [0.485, 0.456, 0.406])], std: [...(pretrained?.std ?? [0.229, 0.224, 0.225])] },
        decode: pretrainedDecoding(pretrained, size),
      },
      { overwrite: flags.force },
    );
  } finally {
    releaseModel(built);
  }
  out.result({ dir, model: flags.model, numClasses }, () => `Wrote ${flags.model} with the weights of ${weights} to ${dir}`);
  return 0;
}
