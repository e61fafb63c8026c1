import * as tf from '@tensorflow/tfjs-core';
import { readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { FrugalInputError } from '../errors.js';
import { writeDirAtomic } from './atomic.js';

const MODEL_JSON = 'model.json';
const WEIGHTS_BIN = 'weights.bin';

/** A weight path from a model.json must stay inside the model's directory. */
function weightPath(dir: string, path: string, modelJson: string): string {
  const clean = normalize(path);
  const full = resolve(dir, clean);
  if (isAbsolute(path) || clean.startsWith('..') || !full.startsWith(resolve(dir) + sep)) {
    throw new FrugalInputError(
      `${modelJson} names the weight file "${path}", which lies outside its directory; ` +
        `a model directory may only reference files inside it. Refusing to load it.`,
    );
  }
  return full;
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
      let text: string;
      try {
        text = await readFile(jsonPath, 'utf8');
      } catch (error) {
        throw new FrugalInputError(`Cannot read ${jsonPath}: ${(error as Error).message}. Is ${dir} a saved model directory?`);
      }
      let json: tf.io.ModelJSON;
      try {
        json = JSON.parse(text) as tf.io.ModelJSON;
      } catch (error) {
        throw new FrugalInputError(`${jsonPath} is not valid JSON (${(error as Error).message})`);
      }
      if (!json.modelTopology) throw new FrugalInputError(`${jsonPath} has no "modelTopology"; it is not a TensorFlow.js model`);
      const manifest = json.weightsManifest ?? [];
      const buffers: ArrayBuffer[] = [];
      const specs: tf.io.WeightsManifestEntry[] = [];
      for (const group of manifest) {
        for (const path of group.paths) {
          const file = weightPath(dir, path, jsonPath);
          const bytes = await readFile(file).catch((error: Error) => {
            throw new FrugalInputError(`Cannot read weight file ${file} named in ${jsonPath}: ${error.message}`);
          });
          buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
        }
        specs.push(...group.weights);
      }
      return tf.io.getModelArtifactsForJSON(json, async () => [specs, tf.io.CompositeArrayBuffer.join(buffers)]);
    },
  };
}
