export { mobilenet } from './plugin.js';
export type { MobileNetPluginOptions } from './plugin.js';
export { makeDivisible } from './make-divisible.js';
export { mobilenetParamsSchema } from './params.js';
export type { MobileNetModel, MobileNetParams } from './params.js';
export { MOBILENET_V2_VARIANTS, registerMobileNetV2 } from './mobilenet-v2.js';
export type { MobileNetV2Name, MobileNetV2Variant } from './mobilenet-v2.js';
export { MOBILENET_V3_VARIANTS, registerMobileNetV3 } from './mobilenet-v3.js';
export type { MobileNetV3Name, MobileNetV3Variant } from './mobilenet-v3.js';
