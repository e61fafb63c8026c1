export { inception } from './plugin.js';
export type { InceptionPluginOptions } from './plugin.js';
export { GOOGLENET_VARIANTS, googlenetParamsSchema, registerGoogLeNets } from './googlenet.js';
export type { GoogLeNetName, GoogLeNetParams, GoogLeNetVariant, GoogLeNetModel, InceptionWidths } from './googlenet.js';
export { INCEPTION_V3_VARIANTS, inceptionV3ParamsSchema, registerInceptionV3 } from './inception-v3.js';
export type { InceptionV3Name, InceptionV3Params, InceptionV3Variant, InceptionV3Model } from './inception-v3.js';
