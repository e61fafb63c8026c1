// The augmentation spec schemas live in @frugal/core (one schema for recipes, strategies and the CLI);
// re-exported here for code that imported them from this package.
export { augmentSpecSchema, opListSchema, opSpecSchema, pipelineSpecSchema, type AugmentSpec, type OpSpec } from '@frugal/core';
