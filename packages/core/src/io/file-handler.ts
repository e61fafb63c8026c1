import * as tf from '@tensorflow/tfjs-core';
import { readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { FrugalInputError } from '../errors.js';
import { writeDirAtomic } from './atomic.js';
import { readUserFile } from './read-user-file.js';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** Largest model.json read (its topology; the weights are in the files it names). */
export const MAX_MODEL_JSON_BYTES = 50_000_000;
/** Largest total of weight bytes a model directory may hold. */
export const MAX_WEIGHT_BYTES = 2 ** 31 - 1;

const DTYPE_BYTES: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2, complex64: 8 };

/** A weight path from a model.json must stay inside the model's directory, with symlinks followed. */
async function weightPath(dir: string, path: unknown, modelJson: string): Promise<string> {
  if (typeof path !== 'string' || path.length === 0) {
    throw new FrugalInputError(`${modelJson} names a weight file ${JSON.stringify(path)}; weight paths must be file names inside the model directory`);
  }
  const clean = normalize(path);
  const full = resolve(dir, clean);
  const outside = () =>
    new FrugalInputError(
      `${modelJson} names the weight file "${path}", which lies outside its directory; ` +
        `a model directory may only reference files inside it. Refusing to load it.`,
    );
  if (isAbsolute(path) || clean.startsWith('..') || !full.startsWith(resolve(dir) + sep)) throw outside();
  const real = await realpath(full).catch((error: Error) => {
    throw new FrugalInputError(`Cannot read weight file ${full} named in ${modelJson}: ${error.message}`);
  });
  if (!real.startsWith((await realpath(dir)) + sep)) throw outside();
  return real;
}

/** The bytes a manifest group's weights take, checking every spec on the way. */
function specBytes(spec: unknown, modelJson: string): number {
  const s = spec as Partial<tf.io.WeightsManifestEntry> | null;
  const name = JSON.stringify(s?.name);
  if (!s || typeof s.name !== 'string' || !Array.isArray(s.shape) || !s.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new FrugalInputError(`${modelJson}: weight ${name} has no valid name and shape in weightsManifest`);
  }
  const dtype = s.quantization?.dtype ?? s.dtype;
  const size = typeof dtype === 'string' ? DTYPE_BYTES[dtype] : undefined;
  if (size === undefined) throw new FrugalInputError(`${modelJson}: weight ${name} has the unknown dtype ${JSON.stringify(dtype)}`);
  const bytes = s.shape.reduce((a, d) => a * d, 1) * size;
  if (!Number.isSafeInteger(bytes) || bytes > MAX_WEIGHT_BYTES) {
    throw new FrugalInputError(`${modelJson}: weight ${name} of shape [${s.shape}] is too large (over ${MAX_WEIGHT_BYTES} bytes)`);
  }
  return bytes;
}

function toArrayBuffer(data: tf.io.WeightData): ArrayBuffer {
  return tf.io.CompositeArrayBuffer.join(data as ArrayBuffer | ArrayBuffer[]);
}

/**
 * A TensorFlow.js IO handler that saves to and loads from a directory (`model.json` +
 * `weights.bin`) in plain Node, without @tensorflow/tfjs-node. Saving is atomic.
 *
 * `model.save(fileHandler(dir, { overwrite: true }))`, `tf.loadLayersModel(fileHandler(dir))`.
 */
export function fileHandler(dir: string, options: { overwrite?: boolean } = {}): tf.io.IOHandler {
  return {
    async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
      const weightData = artifacts.weightData ? toArrayBuffer(artifacts.weightData) : new ArrayBuffer(0);
      const modelJson: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology ?? {},
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) modelJson.trainingConfig = artifacts.trainingConfig;
      if (artifacts.signature) modelJson.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata) modelJson.userDefinedMetadata = artifacts.userDefinedMetadata;
      await writeDirAtomic(
        dir,
        async (tmp) => {
          await writeFile(join(tmp, WEIGHTS_BIN), new Uint8Array(weightData));
          await writeFile(join(tmp, MODEL_JSON), JSON.stringify(modelJson));
        },
        { overwrite: options.overwrite },
      );
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },

    async load(): Promise<tf.io.ModelArtifacts> {
      const jsonPath = join(dir, MODEL_JSON);
      const hint = `is ${dir} a saved model directory?`;
      const text = (await readUserFile(jsonPath, { label: jsonPath, maxBytes: MAX_MODEL_JSON_BYTES, hint })).toString('utf8');
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch (error) {
        throw new FrugalInputError(`${jsonPath} is not valid JSON (${(error as Error).message})`);
      }
      if (json === null || typeof json !== 'object' || !json.modelTopology || typeof json.modelTopology !== 'object') throw new FrugalInputError(`${jsonPath} has no "modelTopology"; it is not a TensorFlow.js model`);
      const manifest: unknown = json.weightsManifest;
      if (!Array.isArray(manifest) || manifest.length === 0) {
        throw new FrugalInputError(
          `${jsonPath} has no weightsManifest (a list of weight files), so its weights cannot be loaded; ` +
            `it is damaged or holds only a topology. Save or convert the model again`,
        );
      }
      const buffers: ArrayBuffer[] = [];
      const specs: tf.io.WeightsManifestEntry[] = [];
      let expected = 0;
      let actual = 0;
      const files: string[] = [];
      for (const group of manifest as unknown[]) {
        const g = group as Partial<tf.io.WeightsManifestConfig[number]> | null;
        if (!g || !Array.isArray(g.paths) || !Array.isArray(g.weights)) {
          throw new FrugalInputError(`${jsonPath}: each weightsManifest entry needs "paths" and "weights" lists; got ${JSON.stringify(group)?.slice(0, 80)}`);
        }
        for (const spec of g.weights) expected += specBytes(spec, jsonPath);
        for (const path of g.paths) {
          const file = await weightPath(dir, path, jsonPath);
          const info = await stat(file);
          actual += info.size;
          files.push(file);
          if (actual > MAX_WEIGHT_BYTES) throw new FrugalInputError(`${jsonPath} names weight files of over ${MAX_WEIGHT_BYTES} bytes; refusing to load them`);
        }
        specs.push(...(g.weights as tf.io.WeightsManifestEntry[]));
      }
      if (actual !== expected) {
        throw new FrugalInputError(
          `The weight files of ${jsonPath} (${files.join(', ') || 'none'}) hold ${actual} bytes; its weightsManifest needs ${expected}. ` +
            `The files are truncated or belong to another model; save or convert the model again`,
        );
      }
      for (const file of files) {
        const bytes = await readFile(file);
        buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      }
      return tf.io.getModelArtifactsForJSON(json, async () => [specs, tf.io.CompositeArrayBuffer.join(buffers)]);
    },
  };
}
