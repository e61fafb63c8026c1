// The time `graphSmoothing` adds to a self-training generation: the pixel graph of a run's labelled
// and unlabelled images and the propagation over it, with the default options, on one backend.
//   node tools/bench/semi-supervised/time-graph-smoothing.mjs RUN_DIR [--backend native]
import { parseArgs } from 'node:util';
import { Rng } from '@frugal/core';
import { graphSmoothingSchema, smoothOverPixels } from '@frugal/semi-supervised';
import { runData } from './run-data.mjs';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { backend: { type: 'string', default: 'native' } } });
const [runDir] = positionals;
if (!runDir) throw new Error('usage: time-graph-smoothing.mjs RUN_DIR [--backend native]');
const { data, recipe } = await runData(runDir, values.backend);
const classes = data.classNames.length;
// The teacher's scores do not change the work done; uniform ones will do.
const scores = new Float32Array(data.unlabelled.labels.length * classes);
const start = process.hrtime.bigint();
smoothOverPixels(data.labelled, data.unlabelled, scores, classes, graphSmoothingSchema.parse({}), new Rng(recipe.seed));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`${data.labelled.labels.length} + ${data.unlabelled.labels.length} images, ${values.backend}: ${seconds.toFixed(1)} s`);
