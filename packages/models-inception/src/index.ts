export { inception } from './plugin.js';
export type { InceptionPluginOptions } from './plugin.js';
export { GOOGLENET_VARIANTS, googlenetParamsSchema, registerGoogLeNets } from './googlenet.js';
export type { GoogLeNetName, GoogLeNetParams, GoogLeNetVariant, GoogLeNetModel, InceptionWidths } from './googlenet.js';
