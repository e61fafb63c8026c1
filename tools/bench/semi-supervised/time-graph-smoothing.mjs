// The time `graphSmoothing` adds to a self-training generation: the pixel graph of a run's labelled
// and unlabelled images and the propagation over it, with the default options, on one backend.
//   node tools/bench/semi-supervised/time-graph-smoothing.mjs RUN_DIR [--backend native]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { prepareData, validateRecipe, Rng } from '@frugal/core';
import { activateBackend, frugalWith } from '../../../packages/cli/dist/frugal-instance.js';
import { graphSmoothingSchema, smoothOverPixels } from '../../../packages/semi-supervised/dist/pseudo-labels/graph-smoothing.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { backend: { type: 'string', default: 'native' } } });
const [runDir] = positionals;
if (!runDir) throw new Error('usage: time-graph-smoothing.mjs RUN_DIR [--backend native]');
const raw = JSON.parse(readFileSync(`${runDir}/recipe.json`, 'utf8'));
const frugal = await frugalWith({ seed: raw.seed });
await activateBackend(frugal, values.backend);
const data = await prepareData(frugal, validateRecipe(raw, frugal, `${runDir}/recipe.json`));
const classes = data.classNames.length;
// The teacher's scores do not change the work done; uniform ones will do.
const scores = new Float32Array(data.unlabelled.labels.length * classes);
const start = process.hrtime.bigint();
smoothOverPixels(data.labelled, data.unlabelled, scores, classes, graphSmoothingSchema.parse({}), new Rng(raw.seed));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`${data.labelled.labels.length} + ${data.unlabelled.labels.length} images, ${values.backend}: ${seconds.toFixed(1)} s`);
