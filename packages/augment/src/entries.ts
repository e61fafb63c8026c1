import { oneOf } from './compose/one-of.js';
import { randomOrder } from './compose/random-order.js';
import { sequence } from './compose/sequence.js';
import { someOf } from './compose/some-of.js';
import { cutmix } from './mix/cutmix.js';
import { mixup } from './mix/mixup.js';
import type { AugmentationEntry } from './op.js';
import { autocontrast } from './ops/autocontrast.js';
import { brightness } from './ops/brightness.js';
import { contrast } from './ops/contrast.js';
import { cutout } from './ops/cutout.js';
import { elastic } from './ops/elastic.js';
import { equalize } from './ops/equalize.js';
import { flip } from './ops/flip.js';
import { gaussianNoise } from './ops/gaussian-noise.js';
import { grayscale } from './ops/grayscale.js';
import { hue } from './ops/hue.js';
import { invert } from './ops/invert.js';
import { padCrop } from './ops/pad-crop.js';
import { posterize } from './ops/posterize.js';
import { randomErasing } from './ops/random-erasing.js';
import { randomResizedCrop } from './ops/random-resized-crop.js';
import { rotate } from './ops/rotate.js';
import { saturation } from './ops/saturation.js';
import { sharpness } from './ops/sharpness.js';
import { shear, shearX, shearY } from './ops/shear.js';
import { solarizeAdd } from './ops/solarize-add.js';
import { solarize } from './ops/solarize.js';
import { translate, translateX, translateY } from './ops/translate.js';
import { autoAugment } from './policies/auto-augment.js';
import { randAugment } from './policies/rand-augment.js';
import { trivialAugmentWide } from './policies/trivial-augment-wide.js';

/** Per-image ops: geometric, then colour and pixel ops. */
export const OP_ENTRIES: readonly AugmentationEntry[] = [
  flip,
  rotate,
  randomResizedCrop,
  padCrop,
  translate,
  translateX,
  translateY,
  shear,
  shearX,
  shearY,
  elastic,
  brightness,
  contrast,
  saturation,
  hue,
  grayscale,
  gaussianNoise,
  solarize,
  solarizeAdd,
  posterize,
  equalize,
  autocontrast,
  sharpness,
  invert,
  cutout,
  randomErasing,
];

/** Batch-level ops that mix targets too. */
export const MIX_ENTRIES: readonly AugmentationEntry[] = [mixup, cutmix];

/** Compositions of other ops, by name. */
export const COMPOSE_ENTRIES: readonly AugmentationEntry[] = [sequence, oneOf, someOf, randomOrder];

/** Published augmentation policies. */
export const POLICY_ENTRIES: readonly AugmentationEntry[] = [randAugment, trivialAugmentWide, autoAugment];

export const ALL_ENTRIES: readonly AugmentationEntry[] = [...OP_ENTRIES, ...MIX_ENTRIES, ...COMPOSE_ENTRIES, ...POLICY_ENTRIES];
