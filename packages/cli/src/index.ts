export { main, EXIT } from './main.js';
export { defaultPlugins } from './default-plugins.js';
export { writeReport } from './report/html-report.js';
export type { ReportInput } from './report/html-report.js';
export { renderSvg, svgToPng, curvesSpec, confusionSpec, ladderSpec } from './report/charts.js';
export { writeRecipePreview } from './preview.js';
export { frugalWith, activateBackend } from './frugal-instance.js';
export type { FrugalWithOptions } from './frugal-instance.js';
export { loadRunModel } from './run-model.js';
