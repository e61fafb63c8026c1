export { mobilenet } from './plugin.js';
export type { MobileNetPluginOptions } from './plugin.js';
export { makeDivisible } from './make-divisible.js';
export { MOBILENET_V2_VARIANTS, mobilenetV2ParamsSchema, registerMobileNetV2 } from './mobilenet-v2.js';
export type { MobileNetV2Name, MobileNetV2Params, MobileNetV2Variant, MobileNetV2Model } from './mobilenet-v2.js';
export { MOBILENET_V3_VARIANTS, mobilenetV3ParamsSchema, registerMobileNetV3 } from './mobilenet-v3.js';
export type { MobileNetV3Name, MobileNetV3Params, MobileNetV3Variant, MobileNetV3Model } from './mobilenet-v3.js';
