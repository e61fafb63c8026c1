import { existsSync } from 'node:fs';
import { fileHandler, FrugalInputError, releaseModel, type BuiltModel, type Frugal } from '@frugal/core';
import { SafetensorsFile } from './safetensors.js';
import type { WeightLoadReport } from './torch-weights.js';

export interface ConvertWeightsOptions {
  /** A registered model name: 'resnet50', 'googlenet', ... */
  model: string;
  /** The safetensors file (a torchvision/timm state dict). */
  weights: string;
  /** The TensorFlow.js model directory to write (`model.json` + `weights.bin`). */
  outDir: string;
  /** Default: the class count of the file's classifier (`fc.weight`). */
  numClasses?: number;
  /** Default: the input size of the model's pretrained config. */
  inputShape?: [number, number, number];
  /** Further model parameters. */
  params?: Record<string, unknown>;
  /** Replace `outDir` when it exists (atomically). */
  overwrite?: boolean;
}

export interface ConvertWeightsResult {
  readonly outDir: string;
  readonly numClasses: number;
  readonly inputShape: [number, number, number];
  readonly report: WeightLoadReport;
}

/** The classifier's class count in a torchvision/timm state dict. */
function fileClassCount(path: string): number | undefined {
  const file = SafetensorsFile.read(path);
  for (const name of ['fc.weight', 'head.weight', 'classifier.weight', 'head.fc.weight']) {
    if (file.has(name)) return file.info(name).shape[0];
  }
  // A classifier of several layers (torchvision's MobileNets: classifier.1, classifier.3): its last.
  const last = file
    .names()
    .map((name) => /^classifier\.(\d+)\.weight$/.exec(name))
    .filter((match) => match !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]))[0];
  return last ? file.info(last[0]).shape[0] : undefined;
}

/**
 * Writes a TensorFlow.js model directory (the inference model, with its pretrained config and the
 * import report in `userDefinedMetadata.frugal`) from a safetensors file, atomically: the
 * directory appears complete or not at all. Auxiliary classifiers, being training-only, are not
 * written.
 */
export async function convertWeights(frugal: Frugal, options: ConvertWeightsOptions): Promise<ConvertWeightsResult> {
  if (existsSync(options.outDir) && !options.overwrite) {
    throw new FrugalInputError(`"${options.outDir}" already exists; refusing to overwrite it. Remove it, choose another directory, or pass overwrite: true.`);
  }
  const numClasses = options.numClasses ?? fileClassCount(options.weights);
  if (numClasses === undefined) {
    throw new FrugalInputError(
      `Cannot tell the class count of "${options.weights}": it has no fc.weight (or head/classifier) tensor. Pass numClasses.`,
    );
  }
  const build = (inputShape: [number, number, number]): BuiltModel & { weightsReport?: WeightLoadReport } =>
    frugal.models.create(options.model, { ...options.params, numClasses, inputShape, weights: options.weights });
  let inputShape = options.inputShape ?? [224, 224, 3];
  let built = build(inputShape);
  const preferred = built.pretrained?.inputSize;
  if (!options.inputShape && preferred && preferred.join() !== inputShape.join()) {
    releaseModel(built);
    inputShape = [...preferred] as [number, number, number];
    built = build(inputShape);
  }
  const report = built.weightsReport;
  if (!report) throw new Error(`model "${options.model}" did not report a weight import; does its factory take "weights"?`);
  try {
    built.model.setUserDefinedMetadata({
      frugal: {
        model: options.model,
        numClasses,
        inputShape,
        featureDim: built.featureDim,
        pretrained: built.pretrained ?? null,
        weights: { source: report.source, loaded: report.loaded.length, skipped: report.skipped, missing: report.missing },
      },
    });
    await built.model.save(fileHandler(options.outDir, { overwrite: options.overwrite }));
  } finally {
    releaseModel(built);
  }
  return { outDir: options.outDir, numClasses, inputShape, report };
}
