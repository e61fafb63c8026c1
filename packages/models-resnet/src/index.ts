export { resnet } from './plugin.js';
export type { ResNetPluginOptions } from './plugin.js';
export { RESNET_VARIANTS, resnetParamsSchema, registerResNets } from './resnet.js';
export type { ResNetName, ResNetParams, ResNetVariant, ResNetModel, ResNetLayout, BlockKind, ShortcutKind } from './resnet.js';

export { DropPath, dropPath } from './layers/drop-path.js';
export type { DropPathArgs } from './layers/drop-path.js';
export { AdaptiveAvgPool2D, adaptiveAvgPool, adaptivePoolMatrix } from './layers/adaptive-avg-pool.js';
export { ShortcutPad, shortcutPad } from './layers/shortcut-pad.js';
export { CUSTOM_LAYERS, registerCustomLayers } from './layers/register-layers.js';
export * as torchLayers from './torch-layers.js';

export { SafetensorsFile, encodeSafetensors, MAX_HEADER_BYTES, FLOAT_DTYPES } from './weights/safetensors.js';
export type { SafetensorsDtype, TensorInfo, FloatTensor, TensorToWrite } from './weights/safetensors.js';
export { decodeFloat16, decodeBFloat16, encodeFloat16, encodeBFloat16 } from './weights/float16.js';
export {
  loadTorchWeights,
  loadWeightsFile,
  checkWeightReport,
  formatWeightReport,
  torchModuleToLayer,
  DEFAULT_RENAMES,
} from './weights/torch-weights.js';
export type { TorchMapping, WeightLoadReport, SkippedTensor } from './weights/torch-weights.js';
export { countParams } from './count-params.js';
export { findTorchFixtures, fixtureModels, fixtureDirs, readFixtureIO, relativeError, FIXTURES_HINT } from './weights/torch-fixtures.js';
export type { TorchFixture } from './weights/torch-fixtures.js';
export { exportTorchWeights } from './weights/torch-export.js';
export type { TorchExportOptions } from './weights/torch-export.js';
export { convertWeights } from './weights/convert-weights.js';
export type { ConvertWeightsOptions, ConvertWeightsResult } from './weights/convert-weights.js';
