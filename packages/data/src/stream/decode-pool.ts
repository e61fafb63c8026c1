import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { DecodeBatchResult, DecodeBatchTask } from './decode-batch-task.js';

/**
 * The decoding thread's module. Built, it sits in `dist/` beside the bundle holding this code; run
 * from the TypeScript sources (the tests), the built copy is used, since a worker thread runs plain
 * JavaScript.
 */
function workerFile(): string {
  const here = import.meta.url;
  const url = here.endsWith('.ts') ? new URL('../../dist/decode-batch-worker.js', here) : new URL('./decode-batch-worker.js', here);
  const file = fileURLToPath(url);
  if (!existsSync(file)) throw new Error(`${file} is missing: build @frugal/data first (npx nx build @frugal/data)`);
  return file;
}

/**
 * Piscina loads a worker module with require() first, and Node (20.19 on) then loads an ES module
 * synchronously, which has crashed the process at times (a fatal "IsGraphAsync must be used on an
 * instantiated module" in the worker thread). With require() of ES modules off, Piscina's
 * fallback, import(), loads it.
 */
function importOnly(): string[] {
  const flag = '--no-experimental-require-module';
  return process.allowedNodeEnvironmentFlags.has(flag) ? [flag] : [];
}

function withoutSourceCondition(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--conditions' && args[i + 1] === '@frugal/source') i++;
    else if (args[i] !== '--conditions=@frugal/source' && args[i] !== '-C=@frugal/source') out.push(args[i]!);
  }
  return out;
}

/**
 * Worker threads that decode batches of images with sharp, so that the thread running the model
 * never waits on a decode. Close it when done (`close()`), or the threads keep the process alive.
 */
export class DecodePool {
  private readonly piscina: Piscina;

  constructor(readonly threads = 1) {
    if (!Number.isInteger(threads) || threads < 1) throw new RangeError(`DecodePool: threads must be a whole number >= 1, got ${threads}`);
    this.piscina = new Piscina({
      filename: workerFile(),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: 60_000,
      // The thread runs built JavaScript: resolving packages to their TypeScript sources would fail.
      execArgv: [...withoutSourceCondition(process.execArgv), ...importOnly()],
    });
  }

  decode(task: DecodeBatchTask): Promise<DecodeBatchResult> {
    return this.piscina.run(task) as Promise<DecodeBatchResult>;
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
