import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chooseWaitPolicy, parallelAbove } from './wait-policy.js';

/** The functions of the compiled addon (`src/addon/*.cc`). Offsets are byte offsets into `heap`. */
export interface NativeAddon {
  setThreads(threads: number): void;
  /** Memory-bound loops over more values than this take every thread; smaller ones, one. */
  setParallelAbove(values: number): void;
  info(): { dnnl: string; library: string; threads: number; cores: number; isa: string };
  /** Whether convolutions and their input gradients read their inputs as bfloat16 (accumulating in float32). */
  setConvPrecision(bfloat16: boolean): void;
  conv(heap: ArrayBufferLike, params: Int32Array, a: number, b: number, out: number, bias: number, alpha: number, residual?: number, filterKey?: number): void;
  convImplementation(params: Int32Array): string;
  matMul(heap: ArrayBufferLike, params: Int32Array, a: number, b: number, out: number, bias: number, alpha: number): void;
  batchNorm(heap: ArrayBufferLike, x: number, mean: number, variance: number, offset: number, scale: number, y: number, rows: number, channels: number, epsilon: number): void;
  batchNormTrain(
    heap: ArrayBufferLike,
    x: number,
    scale: number,
    offset: number,
    y: number,
    mean: number,
    variance: number,
    rows: number,
    channels: number,
    epsilon: number,
    perRow: number,
  ): void;
  batchNormGrad(
    heap: ArrayBufferLike,
    x: number,
    dy: number,
    mean: number,
    variance: number,
    scale: number,
    dx: number,
    dMean: number,
    dVariance: number,
    dScale: number,
    dOffset: number,
    rows: number,
    channels: number,
    epsilon: number,
  ): void;
  binary(heap: ArrayBufferLike, op: number, a: number, b: number, out: number, size: number, broadcast: number, channels: number, lo?: number, hi?: number): void;
  unary(heap: ArrayBufferLike, op: number, x: number, out: number, size: number, alpha: number): void;
  /** Strided copy: `params` = outer sizes, source strides, target strides (`rank` each), then the run length. */
  copyRuns(heap: ArrayBufferLike, source: number, target: number, rank: number, params: Int32Array): void;
  /** `tf.image.transform`: `params` = batch, height, width, channels, one map per image (1) or one for all (0), interpolation (1 nearest, 2 bilinear), fill mode (1 constant, 4 nearest). */
  transformImages(heap: ArrayBufferLike, image: number, transforms: number, out: number, params: Int32Array, fill: number): void;
  reduceSum(heap: ArrayBufferLike, x: number, out: number, outer: number, inner: number, leading: boolean, scale: number): void;
  batchNormTrainGrad(
    heap: ArrayBufferLike,
    x: number,
    dy: number,
    mean: number,
    variance: number,
    scale: number,
    dx: number,
    dScale: number,
    dOffset: number,
    rows: number,
    channels: number,
    epsilon: number,
  ): void;
  sgdUpdate(
    heap: ArrayBufferLike,
    v: number,
    grad: number,
    buf: number,
    outV: number,
    outBuf: number,
    size: number,
    lr: number,
    momentum: number,
    weightDecay: number,
    flags: number,
  ): void;
  emaUpdate(heap: ArrayBufferLike, shadow: number, value: number, out: number, size: number, decay: number, rest: number): void;
  pool(heap: ArrayBufferLike, params: Int32Array, x: number, y: number, isMax: boolean): void;
  poolGrad(heap: ArrayBufferLike, params: Int32Array, dy: number, x: number, dx: number, isMax: boolean): void;
}

/** Whether the addon loaded, and if not, why and what to do. */
export type AddonStatus =
  | { available: true; addon: NativeAddon; path: string }
  | { available: false; reason: string; remedy: string };

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Where `node-gyp` puts the addon. */
export const ADDON_PATH = join(packageRoot, 'build', 'Release', 'frugal_native.node');
/** oneDNN's header, where the distribution's libdnnl-dev puts it or under `DNNLROOT` (scripts/build-addon.mjs). */
export const DNNL_HEADER = join(process.env.DNNLROOT || '/usr', 'include', 'oneapi', 'dnnl', 'dnnl.hpp');
/** The command that builds the addon where the library is present. */
export const BUILD_COMMAND = 'npm run build:addon -w @frugal/runtime-native';

let status: AddonStatus | undefined;

/** Loads the addon once; later calls return the same answer. */
export function loadAddon(): AddonStatus {
  status ??= probeAddon();
  return status;
}

/** Loads the addon at `path`; where it cannot, says why (is oneDNN's `header` there?) and what to do. */
export function probeAddon(path: string = ADDON_PATH, header: string = DNNL_HEADER): AddonStatus {
  const installLibrary = 'apt-get install -y libdnnl-dev';
  if (!existsSync(path)) {
    const libraryPresent = existsSync(header);
    return {
      available: false,
      reason: libraryPresent
        ? 'the addon is not built (oneDNN is installed)'
        : 'oneDNN (libdnnl-dev) is not installed, so the addon was not built',
      remedy: libraryPresent ? `Run \`${BUILD_COMMAND}\`.` : `Run \`${installLibrary}\`, then \`${BUILD_COMMAND}\`.`,
    };
  }
  try {
    const policy = chooseWaitPolicy();
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    addon.setParallelAbove(parallelAbove(policy));
    return { available: true, addon, path };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    return {
      available: false,
      reason: `the addon failed to load: ${message}`,
      remedy: `Run \`${installLibrary}\` (the addon needs the oneDNN library it was built against), then \`${BUILD_COMMAND}\`.`,
    };
  }
}

/** The loaded addon; throws with the reason when it is absent. */
export function addon(): NativeAddon {
  const s = loadAddon();
  if (!s.available) throw new Error(`@frugal/runtime-native is unavailable: ${s.reason}. ${s.remedy}`);
  return s.addon;
}
