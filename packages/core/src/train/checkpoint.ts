import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import { readFile, readdir, realpath, rm } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { z } from 'zod';
import { FrugalInputError } from '../errors.js';
import { formatZodError } from '../recipe/format-zod-error.js';
import { writeDirAtomic, writeFileAtomic } from '../io/atomic.js';
import { readTensors, writeTensors } from '../io/tensor-file.js';

/** Where the loop is: the next step to run is step `stepInEpoch` of epoch `epoch`. */
export interface LoopPosition {
  epoch: number;
  stepInEpoch: number;
  /** Optimizer steps done over the whole run. */
  step: number;
}

export interface CheckpointState extends LoopPosition {
  /** Epoch logs so far (to continue metrics and early stopping). */
  history: Record<string, number>[];
  callbacks: Record<string, unknown>;
  /** Free-form state of the strategy that owns the loop (e.g. a Noisy Student iteration). */
  extra?: unknown;
}

export interface CheckpointTensors {
  /** The model's weights in `model.weights` order. */
  weights: tf.Tensor[];
  /** Optimizer state per parameter group. */
  optimizers: { step: number; tensors: Record<string, tf.Tensor> }[];
  ema?: tf.Tensor[];
}

/** What `state.json` must hold for a checkpoint to be resumed from: positions and counts are whole numbers ≥ 0. */
const count = z.number().int().min(0);
const stateSchema = z.looseObject({
  epoch: count,
  stepInEpoch: count,
  step: count,
  history: z.array(z.record(z.string(), z.number().nullable())),
  callbacks: z.record(z.string(), z.unknown()),
  optimizerSteps: z.array(count),
});

const LATEST = 'latest.json';
const CHECKPOINT_NAME = /^epoch-\d+-step-\d+$/;

function checkpointName(p: LoopPosition): string {
  return `epoch-${String(p.epoch).padStart(4, '0')}-step-${String(p.step).padStart(7, '0')}`;
}

/**
 * Writes a checkpoint into `dir/<epoch-step>/` atomically, then points `dir/latest.json` at it
 * (also atomically) and prunes old ones, keeping `keep`. A crash at any moment leaves the previous
 * checkpoint intact and `latest.json` pointing at a complete one.
 */
export async function saveCheckpoint(
  dir: string,
  state: CheckpointState,
  tensors: CheckpointTensors,
  keep = 2,
): Promise<string> {
  const name = checkpointName(state);
  await writeDirAtomic(
    join(dir, name),
    async (tmp) => {
      const all: Record<string, tf.Tensor> = {};
      tensors.weights.forEach((t, i) => (all[`weights/${i}`] = t));
      tensors.optimizers.forEach((o, g) => Object.entries(o.tensors).forEach(([k, t]) => (all[`optimizer/${g}/${k}`] = t)));
      tensors.ema?.forEach((t, i) => (all[`ema/${i}`] = t));
      await writeTensors(tmp, 'tensors', all);
      const meta = { ...state, optimizerSteps: tensors.optimizers.map((o) => o.step), format: 'frugal-checkpoint/1' };
      await writeFileAtomic(join(tmp, 'state.json'), JSON.stringify(meta, null, 1));
    },
    { overwrite: true },
  );
  await writeFileAtomic(join(dir, LATEST), JSON.stringify({ checkpoint: name }));
  // The newest by name, never the one just written (a folder left by another run may sort after it).
  const others = (await checkpointNames(dir)).filter((f) => f !== name);
  for (const old of others.slice(0, Math.max(0, others.length + 1 - keep))) await rm(join(dir, old), { recursive: true, force: true });
  return join(dir, name);
}

/** The checkpoint folders in `dir`, oldest first. */
export async function checkpointNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((f) => CHECKPOINT_NAME.test(f)).sort();
}

/** The checkpoint folder `latest.json` names: one of ours, inside `dir` even with symlinks followed. */
async function latestName(dir: string): Promise<string | undefined> {
  const latest = join(dir, LATEST);
  if (!existsSync(latest)) return undefined;
  let name: unknown;
  try {
    name = (JSON.parse(await readFile(latest, 'utf8')) as { checkpoint?: unknown } | null)?.checkpoint;
  } catch (error) {
    throw new FrugalInputError(`Cannot read checkpoint pointer ${latest} (${(error as Error).message}); delete it to resume from the newest checkpoint folder`);
  }
  if (typeof name !== 'string' || !CHECKPOINT_NAME.test(name)) {
    throw new FrugalInputError(
      `${latest} names the checkpoint ${JSON.stringify(name)}, which is not a checkpoint folder of this directory ` +
        `(expected a name like "epoch-0003-step-0000120"); delete ${latest} to resume from the newest checkpoint folder`,
    );
  }
  await insideDir(dir, join(dir, name), latest);
  return name;
}

/** Throws unless `path`, with symlinks followed, lies inside `dir`. Missing paths pass. */
async function insideDir(dir: string, path: string, source: string): Promise<void> {
  const real = await realpath(path).catch(() => undefined);
  if (real === undefined) return;
  const root = await realpath(dir);
  if (!real.startsWith(root + sep)) {
    throw new FrugalInputError(`${source} leads to ${real}, outside ${root}; a checkpoint must lie inside its folder. Refusing to load it.`);
  }
}

/** One checkpoint folder's state and tensors (fresh: the caller disposes them). */
export async function readCheckpoint(path: string): Promise<{ path: string; state: CheckpointState; tensors: CheckpointTensors }> {
  let meta: CheckpointState & { optimizerSteps: number[]; format: string };
  let all: Record<string, tf.Tensor>;
  try {
    const json: unknown = JSON.parse(await readFile(join(path, 'state.json'), 'utf8'));
    const parsed = stateSchema.safeParse(json);
    if (!parsed.success) throw new Error(formatZodError(parsed.error, 'state.json', json));
    meta = parsed.data as unknown as typeof meta;
    all = await readTensors(path, 'tensors');
  } catch (error) {
    throw new FrugalInputError(`Checkpoint ${path} is unreadable (${(error as Error).message})`);
  }

  const weights: tf.Tensor[] = [];
  const ema: tf.Tensor[] = [];
  const optimizers = meta.optimizerSteps.map((step) => ({ step, tensors: {} as Record<string, tf.Tensor> }));
  for (const [key, t] of Object.entries(all)) {
    const [kind, a, ...rest] = key.split('/');
    if (kind === 'weights') weights[Number(a)] = t;
    else if (kind === 'ema') ema[Number(a)] = t;
    else if (kind === 'optimizer') (optimizers[Number(a)] as { tensors: Record<string, tf.Tensor> }).tensors[rest.join('/')] = t;
  }
  const { optimizerSteps: _s, format: _f, ...state } = meta;
  return { path, state, tensors: { weights, optimizers, ema: ema.length ? ema : undefined } };
}

/**
 * The latest complete checkpoint in `dir` (the one `latest.json` names, else the newest folder that
 * reads back whole), or null when there is none. `skipped` lists the unreadable ones passed over.
 */
export async function loadLatestCheckpoint(
  dir: string,
): Promise<{ path: string; state: CheckpointState; tensors: CheckpointTensors; skipped: string[] } | null> {
  if (!existsSync(dir)) return null;
  const named = await latestName(dir);
  const names = (await checkpointNames(dir)).reverse();
  if (named === undefined && names.length === 0) return null;
  const order = named === undefined ? names : [named, ...names.filter((n) => n !== named)];
  const skipped: string[] = [];
  for (const name of order) {
    const path = join(dir, name);
    if (!existsSync(path)) {
      skipped.push(`${path} (missing)`);
      continue;
    }
    await insideDir(dir, path, path);
    try {
      return { ...(await readCheckpoint(path)), skipped };
    } catch (error) {
      skipped.push((error as Error).message);
    }
  }
  throw new FrugalInputError(
    `No checkpoint in ${dir} can be read: ${skipped.join('; ')}. Start the run over with --force instead of --resume`,
  );
}

/** Puts checkpointed weights into a model, checking shapes. */
export function restoreWeights(model: LayersModel, weights: readonly tf.Tensor[], source: string): void {
  const vars = model.weights;
  if (vars.length !== weights.length) {
    throw new FrugalInputError(`${source} holds ${weights.length} weight tensors; the model has ${vars.length}. Was it written for another model?`);
  }
  vars.forEach((v, i) => {
    const t = weights[i] as tf.Tensor;
    if (v.shape.join(',') !== t.shape.join(',')) {
      throw new FrugalInputError(`${source}: weight ${v.name} has shape [${t.shape}] in the checkpoint and [${v.shape}] in the model`);
    }
    v.write(t);
  });
}
