export { DropPath, dropPath } from './layers/drop-path.js';
export type { DropPathArgs } from './layers/drop-path.js';
export { AdaptiveAvgPool2D, adaptiveAvgPool, adaptivePoolMatrix } from './layers/adaptive-avg-pool.js';
export { Hardsigmoid, Hardswish } from './layers/hard-activations.js';
export { torchBatchNormClass, batchNormTraining, BATCH_NORM_TRAIN, BATCH_NORM_TRAIN_GRAD } from './layers/batch-norm.js';
export { TORCH_LAYERS, registerTorchLayers } from './layers/register-layers.js';
export * as torchLayers from './torch-layers.js';

export { SafetensorsFile, encodeSafetensors, MAX_HEADER_BYTES, FLOAT_DTYPES } from './weights/safetensors.js';
export type { SafetensorsDtype, TensorInfo, FloatTensor, TensorToWrite } from './weights/safetensors.js';
export { decodeFloat16, decodeBFloat16, encodeFloat16, encodeBFloat16 } from './weights/float16.js';
export {
  loadTorchWeights,
  loadWeightsFile,
  withWeights,
  checkWeightReport,
  formatWeightReport,
  torchModuleToLayer,
  DEFAULT_RENAMES,
} from './weights/torch-weights.js';
export type { TorchMapping, WeightLoadReport, SkippedTensor } from './weights/torch-weights.js';
export { countParams } from './count-params.js';
export { exportTorchWeights } from './weights/torch-export.js';
export type { TorchExportOptions } from './weights/torch-export.js';
export { convertWeights } from './weights/convert-weights.js';
export { torchvisionPretrained } from './weights/torchvision-pretrained.js';
export type { ConvertWeightsOptions, ConvertWeightsResult } from './weights/convert-weights.js';
