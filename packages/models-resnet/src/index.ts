export { resnet } from './plugin.js';
export type { ResNetPluginOptions } from './plugin.js';
export { RESNET_VARIANTS, resnetParamsSchema, registerResNets } from './resnet.js';
export type { ResNetName, ResNetParams, ResNetVariant, ResNetModel, ResNetLayout, BlockKind, ShortcutKind } from './resnet.js';

export { ShortcutPad, shortcutPad } from './layers/shortcut-pad.js';
export { CUSTOM_LAYERS, registerCustomLayers } from './layers/register-layers.js';

// The layers and the weight import every model family shares live in @frugal/torch-compat;
// re-exported here for code that imported them from this package.
export {
  DropPath,
  dropPath,
  AdaptiveAvgPool2D,
  adaptiveAvgPool,
  adaptivePoolMatrix,
  torchLayers,
  SafetensorsFile,
  encodeSafetensors,
  MAX_HEADER_BYTES,
  FLOAT_DTYPES,
  decodeFloat16,
  decodeBFloat16,
  encodeFloat16,
  encodeBFloat16,
  loadTorchWeights,
  loadWeightsFile,
  withWeights,
  checkWeightReport,
  formatWeightReport,
  torchModuleToLayer,
  DEFAULT_RENAMES,
  countParams,
  exportTorchWeights,
  convertWeights,
} from '@frugal/torch-compat';
export type {
  DropPathArgs,
  SafetensorsDtype,
  TensorInfo,
  FloatTensor,
  TensorToWrite,
  TorchMapping,
  WeightLoadReport,
  SkippedTensor,
  TorchExportOptions,
  ConvertWeightsOptions,
  ConvertWeightsResult,
} from '@frugal/torch-compat';
