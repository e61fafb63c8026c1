import type { BackendProvider } from '@frugal/core';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** The backends this package knows, best first. */
export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'native', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

/** What `probe()` answers. */
export type ProbeResult = Awaited<ReturnType<BackendProvider['probe']>>;

/** A provider of this package: a core `BackendProvider` plus what the device report needs. */
export interface RuntimeBackendProvider extends BackendProvider {
  readonly name: BackendName;
  /** The tfjs backend name it activates (`tensorflow` for both TensorFlow packages, `wasm` for native). */
  readonly tfjsBackend: string;
  /** The npm package that provides it. */
  readonly packageName: string;
  /** One line for `frugal list`. */
  readonly description: string;
  /** Versions and device facts, once activated. */
  details(): Promise<Record<string, string | number | boolean | null>>;
}

export const PRIORITIES: Record<BackendName, number> = {
  'tensorflow-gpu': 400,
  tensorflow: 300,
  native: 250,
  wasm: 200,
  cpu: 100,
};

/** Dynamic import of an optional package (a variable specifier, so no build step needs it). */
export async function importOptional(packageName: string): Promise<unknown> {
  return import(/* @vite-ignore */ packageName);
}

/**
 * An optional CommonJS package (the TensorFlow.js backends), loaded as CommonJS. An `import` of it
 * would have Node scan the whole file for the names it exports first: 70 ms of every start for the
 * wasm backend's 450 KB. Node keeps one module for both, so a later `import` gets this one.
 */
export async function requireOptional(packageName: string): Promise<unknown> {
  return require(packageName);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}

/** The version of an installed package, or null when it is not installed. */
export function installedVersion(packageName: string): string | null {
  try {
    return (require(`${packageName}/package.json`) as { version: string }).version;
  } catch {
    return null;
  }
}

/** The folder an installed package lives in. */
export function packageDir(packageName: string): string {
  const manifest = require.resolve(`${packageName}/package.json`);
  return manifest.slice(0, manifest.length - 'package.json'.length);
}
