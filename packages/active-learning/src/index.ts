export { suggestImages, acquisition, type SuggestOptions, type Suggestion, type Suggestions } from './suggest.js';
export { suggestionCsv } from './file/suggestion-file.js';
export { ACQUISITIONS } from './methods/acquisitions.js';
export type { Acquisition, AcquisitionInput } from './methods/acquisition.js';
export { modelOutputs, FEATURES_LAYER, type ModelOutputs } from './embed/model-outputs.js';
export { kMeans, nearestCentres, type Clusters } from './cluster/k-means.js';
