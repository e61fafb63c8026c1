export { augmentSpecSchema, opSpecSchema, pipelineSpecSchema, opListSchema, type AugmentSpec, type OpSpec } from './spec.js';
export { parseAugmentSpec, specObject, type AugmentationResolver, type ParsedAugmentSpec } from './parse-spec.js';
export { AUGMENT_SPEC_BUILDER, basicSpecBuilder, type AugmentSpecBuilder, type BuildSite } from './spec-builder.js';
