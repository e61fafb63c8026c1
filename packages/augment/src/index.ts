export { augment, PLUGIN_NAME } from './plugin.js';
export type { AugmentOptions } from './plugin.js';
export { ALL_ENTRIES, OP_ENTRIES, MIX_ENTRIES, COMPOSE_ENTRIES, POLICY_ENTRIES } from './entries.js';
export type { AugmentationEntry, OpDefinition } from './op.js';
export { defineOp, defineAugmentation, opAugmentation } from './op.js';
export type { MagnitudeAugmentation, MagnitudeOptions, AugmentContext, AugmentationResolver } from './types.js';
export { hasMagnitude } from './types.js';
export { LEVEL_DENOMINATOR, signedLevels, enhanceFactors } from './magnitude.js';
export { range, probability, fillValue } from './params.js';

// Recipe-style pipelines.
export { buildPipeline, buildSpec } from './pipeline/build.js';
export type { BuildPipelineOptions } from './pipeline/build.js';
export { augmentSpecSchema, pipelineSpecSchema, opSpecSchema } from './pipeline/spec.js';
export type { AugmentSpec, OpSpec } from './pipeline/spec.js';

// Compositions.
export { sequenceOf, applyInOrder, applyBatchInOrder } from './compose/sequence.js';
export { withProbability } from './compose/probability.js';
export { oneOfAugmentation } from './compose/one-of.js';
export { someOfAugmentation } from './compose/some-of.js';
export { randomOrderAugmentation } from './compose/random-order.js';

// Policies.
export { randAugmentAugmentation, RAND_AUGMENT_OPS, defaultRandAugmentOps } from './policies/rand-augment.js';
export type { RandAugmentParams } from './policies/rand-augment.js';
export { parseRandAugmentConfig } from './policies/rand-augment-config.js';
export type { RandAugmentConfig } from './policies/rand-augment-config.js';
export { trivialAugmentWideAugmentation, TRIVIAL_AUGMENT_OPS } from './policies/trivial-augment-wide.js';
export { autoAugmentAugmentation, IMAGENET_POLICY } from './policies/auto-augment.js';

// Batch-level mixing.
export { mixupAugmentation } from './mix/mixup.js';
export { cutmixAugmentation } from './mix/cutmix.js';
export { drawBeta } from './mix/beta.js';

// Kernels: per-sample arguments in, batch out.
export { flipImages } from './ops/flip.js';
export { rotateImages, rotationMaps } from './ops/rotate.js';
export { shearImages, shearMaps } from './ops/shear.js';
export { translateImages, translationMaps } from './ops/translate.js';
export { cropAndResizeImages, drawResizedCrop } from './ops/random-resized-crop.js';
export { brightnessImages } from './ops/brightness.js';
export { contrastImages } from './ops/contrast.js';
export { saturationImages } from './ops/saturation.js';
export { hueImages } from './ops/hue.js';
export { grayscaleImages } from './ops/grayscale.js';
export { gaussianNoiseImages } from './ops/gaussian-noise.js';
export { solarizeImages } from './ops/solarize.js';
export { solarizeAddImages } from './ops/solarize-add.js';
export { posterizeImages } from './ops/posterize.js';
export { equalizeImages } from './ops/equalize.js';
export { autocontrastImages } from './ops/autocontrast.js';
export { sharpnessImages } from './ops/sharpness.js';
export { invertImages } from './ops/invert.js';
export { eraseBoxes, boxMask } from './tensor/boxes.js';
export type { PixelBox } from './tensor/boxes.js';
export { affineTransform } from './tensor/affine.js';
export type { AffineRows, FillMode, Interpolation, TransformOptions } from './tensor/affine.js';
export { applyToGroups, applyToRows } from './tensor/rows.js';

// Files.
export { expandFolder } from './files/expand-folder.js';
export type { ExpandFolderOptions, ExpandFolderResult } from './files/expand-folder.js';
export { previewGrid } from './files/preview-grid.js';
export type { PreviewGridOptions, PreviewGridResult } from './files/preview-grid.js';
