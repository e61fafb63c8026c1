import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { splitLabelled } from '../data/split.js';
import { classBalancedSubset } from '../data/class-balanced-subset.js';
import { concat, subset } from '../data/image-set.js';
import { limitUnlabelled } from '../data/limit-unlabelled.js';
import { unevenClassesNote } from '../data/uneven-classes.js';
import { FrugalInputError } from '../errors.js';
import type { Frugal } from '../frugal.js';
import { writeFileAtomic } from '../io/atomic.js';
import type { EvaluationResult } from '../metrics/evaluate.js';
import type { TrainingCallback } from '../train/callback.js';
import type { StrategyContext, StrategyData, StrategyResult } from '../train/strategy.js';
import type { DatasetSource, ImageSet } from '../types.js';
import type { Recipe } from './schema.js';
import { claimRunDir, refuseRunDirInData } from './run-dir.js';
import { checkResumedRecipe } from './resumed-recipe.js';
import { saveModel } from '../io/saved-model.js';
import { modelCardFields } from '../io/model-card.js';
import { Rng } from '../rng.js';
import { runCallbacks } from './run-callbacks.js';
import { LOGGER } from '../tokens.js';
import { loadInitialWeights } from '../io/initial-weights.js';
import { givenNormalization, resolveNormalization } from './normalization.js';
import { ensureBackend } from '../backend/select-backend.js';

export interface RunOptions {
  /** Where outputs go; absent: nothing is written. */
  runDir?: string;
  /** Continue from the run directory's last checkpoint. */
  resume?: boolean;
  /** Allow writing into an existing run directory that is not being resumed. */
  force?: boolean;
  signal?: AbortSignal;
  quiet?: boolean;
  log?: (message: string) => void;
  /** Extra callbacks (reports, tests). */
  callbacks?: TrainingCallback[];
}

export interface RunResult {
  readonly recipe: Recipe;
  readonly result: StrategyResult;
  readonly evaluation?: EvaluationResult;
  readonly data: { labelled: number; unlabelled: number; test: number; classNames: readonly string[] };
  readonly seconds: number;
  readonly runDir?: string;
}

function limitTest(set: ImageSet, limit: number | undefined, seeds: Rng): ImageSet {
  if (!limit || limit >= set.labels.length) return set;
  return subset(set, classBalancedSubset(set.labels, limit, seeds.child('test-limit')));
}

/**
 * The root of a run's random streams: the recipe's seed alone, so that a recipe gives the same
 * numbers whatever the Frugal instance's seed and whatever it built before.
 */
export function runSeeds(recipe: Pick<Recipe, 'seed'>): Rng {
  return new Rng(recipe.seed);
}

/** The strategy's registry entry, when it is registered (validation has checked the recipe's). */
function strategyEntry(frugal: Frugal, strategy: string) {
  return frugal.strategies.has(strategy) ? frugal.strategies.get(strategy) : undefined;
}

/** How a strategy takes a folder's unlabelled images: read in batches, loaded into memory first, or not at all. */
function unlabelledUse(frugal: Frugal, strategy: string): 'stream' | 'memory' | 'none' {
  const entry = strategyEntry(frugal, strategy);
  return entry?.ignoresUnlabelled ? 'none' : entry?.streamsUnlabelled ? 'stream' : 'memory';
}

/** The unlabelled images in the run's first line: how many, and where and whether the strategy reads them. */
function unlabelledNote(data: StrategyData, use: ReturnType<typeof unlabelledUse>): string {
  const stream = data.unlabelledStream;
  const held = data.unlabelled?.labels.length ?? 0;
  if (!stream) return held ? ` (+${held} unlabelled)` : '';
  if (use !== 'none') return ` (+${stream.count} unlabelled, read from ${stream.dir} in batches)`;
  // Only a strategy that reads none keeps the split's images beside a folder's.
  const where = held ? `, ${held} of them left by the split and ${stream.count} in ${stream.dir}` : ` in ${stream.dir}`;
  return ` (+${held + stream.count} unlabelled${where}, which this strategy does not read)`;
}

/**
 * Refuses a dataset a classifier cannot learn from: no labelled image, or fewer than 2 classes.
 * A strategy that reads no label (a pretext task) takes any dataset.
 */
function checkLabels(frugal: Frugal, recipe: Recipe, source: DatasetSource): void {
  if (strategyEntry(frugal, recipe.strategy.name)?.ignoresLabels) return;
  const { dataset } = recipe.data;
  if (source.train.labels.length === 0) {
    const labelFree = frugal.strategies.list().filter((entry) => entry.ignoresLabels).map((entry) => entry.name);
    throw new FrugalInputError(
      `Dataset "${dataset}" has no labelled images, and strategy "${recipe.strategy.name}" learns from labels; label some (an image-folder with class folders or a labels file)` +
        (labelFree.length ? `, or run a strategy that reads none first (${labelFree.join(', ')}) and let \`frugal suggest\` choose which to label` : ''),
    );
  }
  if (source.classNames.length < 2) {
    throw new FrugalInputError(
      `Dataset "${dataset}" has ${source.classNames.length} class${source.classNames.length === 1 ? ` ("${source.classNames[0]}")` : 'es'}; ` +
        'a classifier needs at least 2. For an image folder, put each class in its own subfolder (dir/<class>/<image>)',
    );
  }
}

/**
 * Prepares the recipe's data: load, split (seeded by the recipe, class-balanced), test subset. The
 * images the split leaves unlabelled join the source's own unlabelled images.
 */
export async function prepareData(frugal: Frugal, recipe: Recipe, log?: (message: string) => void): Promise<StrategyData & { source: DatasetSource }> {
  const seeds = runSeeds(recipe);
  const given = await givenNormalization(frugal, recipe);
  // A source need not measure statistics the run does not normalise with.
  const source = await frugal.datasets.load(recipe.data.dataset, recipe.data.params, { needsNormalization: given.normalization === undefined, ...(log ? { log } : {}) });
  const { labelledPerClass, labelledFraction, validationPerClass } = recipe.data;
  checkLabels(frugal, recipe, source);
  const channels = source.train.shape[2];
  let labelled = source.train;
  let unlabelled = source.unlabelled;
  let validation: ImageSet | undefined;
  let splitLeftSome = false;
  if ((labelledPerClass || labelledFraction || validationPerClass) && source.train.labels.length > 0) {
    const split = splitLabelled(source.train, { labelledPerClass, labelledFraction, validationPerClass, rng: seeds.child('split') });
    labelled = split.labelled;
    validation = split.validation;
    splitLeftSome = split.unlabelled.labels.length > 0;
    if (splitLeftSome) unlabelled = unlabelled ? concat(split.unlabelled, unlabelled) : split.unlabelled;
  }
  let unlabelledStream = source.unlabelledStream;
  if (recipe.data.unlabelledLimit !== undefined) {
    const count = (unlabelled?.labels.length ?? 0) + (unlabelledStream?.count ?? 0);
    ({ memory: unlabelled, stream: unlabelledStream } = limitUnlabelled({ memory: unlabelled, stream: unlabelledStream }, recipe.data.unlabelledLimit, seeds.child('unlabelled-limit')));
    if (recipe.data.unlabelledLimit < count) log?.(`data.unlabelledLimit: ${recipe.data.unlabelledLimit} of the ${count} unlabelled images, drawn at random`);
  }
  // A folder read in batches goes to a strategy that streams it, or that never reads it (listed,
  // never decoded); the others get it in memory, and so does one that streams when the split left
  // images over to join it.
  const use = unlabelledUse(frugal, recipe.strategy.name);
  if (unlabelledStream && (use === 'memory' || (use === 'stream' && unlabelled))) {
    if (use === 'stream') {
      // A source that streams its unlabelled folder holds no other unlabelled images: those in memory are the split's.
      const held = `${unlabelled?.labels.length} ${splitLeftSome ? 'training images the split leaves unlabelled' : 'unlabelled images the dataset holds in memory'}`;
      log?.(`The ${held} join the ${unlabelledStream.count} of ${unlabelledStream.dir}, which are therefore loaded into memory, not read in batches`);
    }
    const loaded = await unlabelledStream.load();
    unlabelled = unlabelled ? concat(unlabelled, loaded) : loaded;
    unlabelledStream = undefined;
  }
  return {
    source,
    labelled,
    unlabelled,
    ...(unlabelledStream ? { unlabelledStream } : {}),
    validation,
    test: source.test ? limitTest(source.test, recipe.data.testLimit, seeds) : undefined,
    classNames: source.classNames,
    normalization: resolveNormalization(given, source, channels),
    ...(source.decode ? { decode: source.decode } : {}),
  };
}

/**
 * Runs a validated recipe: data -> split -> augmentations -> strategy (which composes the training
 * loop) -> evaluation, on the TensorFlow.js backend set before it, or else on the recipe's
 * `backend`; with a run directory it writes the resolved recipe, metrics.jsonl, checkpoints/,
 * model/ and summary.json. The run directory is locked for the run's duration (one process at a
 * time); `force` clears an old run there first (see `claimRunDir`).
 */
export async function runRecipe(frugal: Frugal, recipe: Recipe, options: RunOptions = {}): Promise<RunResult> {
  const started = performance.now();
  const { runDir } = options;
  const logger = frugal.resolve(LOGGER);
  const log = options.log ?? ((m: string) => options.quiet || logger.log(m));
  if (runDir && frugal.datasets.has(recipe.data.dataset)) {
    refuseRunDirInData(runDir, recipe.data.dataset, recipe.data.params, frugal.datasets.get(recipe.data.dataset).readsFolders);
  }
  const lock = runDir ? await claimRunDir(runDir, options) : undefined;
  try {
    if (runDir && options.resume) await checkResumedRecipe(frugal, recipe, runDir);
    return await runLocked(frugal, recipe, options, log, started);
  } finally {
    await lock?.release();
  }
}

async function runLocked(
  frugal: Frugal,
  recipe: Recipe,
  options: RunOptions,
  log: (message: string) => void,
  started: number,
): Promise<RunResult> {
  const { runDir } = options;
  const backend = await ensureBackend(frugal, recipe.backend);
  if (backend) log(`Backend: ${backend.name} (the recipe's backend "${recipe.backend}")`);
  const data = await prepareData(frugal, recipe, log);
  const augment = frugal.augmentations.build(recipe.augment, 'augment');
  const recipeFile = recipeFileCallback(recipe, options);
  const extra = [...(recipeFile ? [recipeFile] : []), ...(options.callbacks ?? [])];
  const callbacks = runCallbacks(frugal, recipe, { runDir, quiet: options.quiet, extra });
  const seeds = runSeeds(recipe);
  const init = recipe.model.init ? await loadInitialWeights(recipe.model.init) : undefined;
  try {
    const run = await runStrategy(frugal, recipe, options, log, started, { data, augment, callbacks, seeds, init });
    await recipeFile?.onTrainBegin();
    return run;
  } finally {
    init?.dispose();
  }
}

/**
 * Writes a fresh run's `recipe.json`, which makes its directory hold a run, when training first
 * begins (or with the model, for a strategy that trains nothing): a recipe refused before then —
 * its data, augmentations, `model.init`, model or strategy — leaves no run behind, and the corrected
 * recipe can take the same directory.
 */
function recipeFileCallback(recipe: Recipe, { runDir, resume }: RunOptions): (TrainingCallback & { onTrainBegin(): Promise<void> }) | undefined {
  if (!runDir || resume) return undefined;
  let written = false;
  return {
    name: 'recipe-file',
    async onTrainBegin() {
      if (written) return;
      written = true;
      await writeFileAtomic(join(runDir, 'recipe.json'), `${JSON.stringify(recipe, null, 2)}\n`);
    },
  };
}

interface Prepared {
  data: Awaited<ReturnType<typeof prepareData>>;
  augment: StrategyContext['augment'];
  callbacks: StrategyContext['callbacks'];
  seeds: Rng;
  init: StrategyContext['init'];
}

async function runStrategy(
  frugal: Frugal,
  recipe: Recipe,
  options: RunOptions,
  log: (message: string) => void,
  started: number,
  { data, augment, callbacks, seeds, init }: Prepared,
): Promise<RunResult> {
  const { runDir } = options;
  const ctx: StrategyContext = {
    frugal,
    rng: seeds.child('run'),
    models: frugal.models.seeded(seeds.child('init')),
    data,
    model: { name: recipe.model.name, params: recipe.model.params },
    init,
    train: recipe.train,
    augment,
    callbacks,
    runDir,
    resume: options.resume,
    signal: options.signal,
    log,
  };
  const unlabelledCount = (data.unlabelled?.labels.length ?? 0) + (data.unlabelledStream?.count ?? 0);
  const pretext = strategyEntry(frugal, recipe.strategy.name)?.ignoresLabels ? recipe.strategy.name : undefined;
  if (pretext) {
    const streamed = data.unlabelledStream ? ` (${data.unlabelledStream.count} read from ${data.unlabelledStream.dir} in batches)` : '';
    log(`Training ${recipe.model.name} with strategy "${recipe.strategy.name}" on ${data.labelled.labels.length + unlabelledCount} images${streamed}, whose labels it does not read`);
  } else {
    log(
      `Training ${recipe.model.name} with strategy "${recipe.strategy.name}" on ${data.labelled.labels.length} labelled images` +
        unlabelledNote(data, unlabelledUse(frugal, recipe.strategy.name)) +
        `, ${data.classNames.length} classes`,
    );
    const uneven = recipe.train.balanceClasses ? undefined : unevenClassesNote(data.labelled);
    if (uneven) log(uneven);
  }
  const result = await frugal.strategies.create(recipe.strategy.name, recipe.strategy.params).run(ctx);
  const seconds = (performance.now() - started) / 1000;
  const summary = {
    data: {
      labelled: data.labelled.labels.length,
      unlabelled: unlabelledCount,
      test: data.test?.labels.length ?? 0,
      classNames: data.classNames,
    },
  };
  if (runDir) {
    const card = modelCardFields(recipe.model.name, data, result.classNames ?? data.classNames);
    await saveModel(result.model.model, join(runDir, 'model'), pretext ? { ...card, pretext } : card);
    await writeFile(
      join(runDir, 'summary.json'),
      `${JSON.stringify({ ...summary, seconds, evaluation: result.evaluation, details: result.details, skipped: data.source.skipped ?? [] }, null, 2)}\n`,
    );
  }
  return { recipe, result, evaluation: result.evaluation, data: summary.data, seconds, runDir };
}
