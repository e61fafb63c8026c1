import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { makeDir } from '@frugal/core';
import { sha256File } from './hash-file.js';
import { byteProgress } from './progress-bar.js';

export interface DownloadOptions {
  /** Mirrors, tried in order. */
  readonly urls: readonly string[];
  /** Final path. Bytes go to `<dest>.part` first and are renamed once verified. */
  readonly dest: string;
  /** Expected SHA-256 (hex) of the file as served; a mismatch rejects the file. */
  readonly sha256?: string;
  /** Expected size in bytes, when known. */
  readonly size?: number;
  /** Tries per mirror, each resuming where the last stopped (default 3). */
  readonly attempts?: number;
  /** Give up on a response that sends nothing for this long (ms, default 30 000). */
  readonly idleTimeoutMs?: number;
  /** Pause before a retry (ms, default 500, doubled each time). */
  readonly retryDelayMs?: number;
  /** Show a progress bar (default: when stderr is a terminal). */
  readonly progress?: boolean;
  /** One line per download and per failed try (default `console.warn`). */
  readonly log?: (message: string) => void;
  readonly signal?: AbortSignal;
}

export interface DownloadResult {
  readonly file: string;
  /** The mirror that served it; undefined when the file was already there. */
  readonly url?: string;
  /** Whether some of the bytes came from an earlier, interrupted transfer. */
  readonly resumed: boolean;
}

/** Every mirror failed; `failures` says how, one entry per try. */
export class DownloadError extends Error {
  override readonly name = 'DownloadError';
  constructor(
    message: string,
    readonly failures: readonly { url: string; reason: string }[],
  ) {
    super(message);
  }
}

class HttpStatusError extends Error {
  constructor(readonly status: number, statusText: string) {
    super(`HTTP ${status}${statusText ? ` ${statusText}` : ''}`);
  }
  /** 4xx other than timeouts and rate limits will not change on a retry. */
  get final(): boolean {
    return this.status >= 400 && this.status < 500 && this.status !== 408 && this.status !== 429;
  }
}

class ChecksumError extends Error {}

async function sizeOf(file: string): Promise<number> {
  return (await stat(file).catch(() => undefined))?.size ?? 0;
}

/** One HTTP request: resumes `part` from its current length when the server supports ranges. */
async function transfer(url: string, part: string, options: DownloadOptions, label: string): Promise<{ resumedFrom: number }> {
  let have = await sizeOf(part);
  if (options.size !== undefined && have > options.size) {
    await rm(part, { force: true });
    have = 0;
  }
  if (options.size !== undefined && have === options.size) return { resumedFrom: have };

  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const idleMs = options.idleTimeoutMs ?? 30_000;
  let idle: NodeJS.Timeout | undefined;
  const touch = (): void => {
    clearTimeout(idle);
    idle = setTimeout(() => controller.abort(new Error(`no data for ${idleMs / 1000} s`)), idleMs);
  };
  const bar = byteProgress(label, process.stderr, options.progress ?? process.stderr.isTTY === true);
  try {
    touch();
    const response = await fetch(url, {
      headers: { 'accept-encoding': 'identity', ...(have > 0 ? { range: `bytes=${have}-` } : {}) },
      redirect: 'follow',
      signal: controller.signal,
    });
    if (response.status === 416 && have > 0) {
      // The part already holds the whole file; the checksum decides.
      await response.body?.cancel();
      return { resumedFrom: have };
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      throw new HttpStatusError(response.status, response.statusText);
    }
    let append = false;
    if (response.status === 206) {
      const start = /bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
      if (Number(start) !== have) {
        await response.body.cancel();
        await rm(part, { force: true });
        throw new Error(`server resumed at byte ${start ?? '?'} instead of ${have}; starting over`);
      }
      append = true;
    }
    const from = append ? have : 0;
    const length = Number(response.headers.get('content-length') ?? NaN);
    let done = from;
    bar.start(Number.isFinite(length) ? from + length : (options.size ?? 0), done);
    // Each chunk is on disk before the next is read, so whatever arrived before a cut is kept.
    const out = await open(part, append ? 'a' : 'w');
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        touch();
        await out.write(chunk);
        done += chunk.byteLength;
        bar.update(done);
      }
    } finally {
      await out.close();
    }
    if (Number.isFinite(length) && done - from !== length) {
      throw new Error(`connection closed after ${done - from} of ${length} bytes`);
    }
    return { resumedFrom: from };
  } finally {
    clearTimeout(idle);
    bar.stop();
    options.signal?.removeEventListener('abort', onAbort);
  }
}

function reasonOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
  return `${error.message}${cause}`;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Downloads a file from the first mirror that serves it intact: partial transfers are resumed
 * (HTTP Range), the size and SHA-256 are checked before the file takes its final name, so `dest`
 * only ever holds a verified file. An existing `dest` is returned as is.
 */
export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const { dest, urls } = options;
  if (await stat(dest).catch(() => undefined)) return { file: dest, resumed: false };
  if (urls.length === 0) throw new DownloadError(`No mirror given for ${path.basename(dest)}`, []);
  await makeDir(path.dirname(dest));
  const log = options.log ?? ((message: string) => console.warn(message));
  const part = `${dest}.part`;
  const attempts = options.attempts ?? 3;
  const failures: { url: string; reason: string }[] = [];
  let resumed = false;

  for (const url of urls) {
    log(`Downloading ${url} -> ${dest}`);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      options.signal?.throwIfAborted();
      let resumedFrom = 0;
      try {
        ({ resumedFrom } = await transfer(url, part, options, path.basename(dest)));
        resumed ||= resumedFrom > 0;
        const got = await sizeOf(part);
        if (options.size !== undefined && got !== options.size) {
          throw new Error(`got ${got} bytes, expected ${options.size}`);
        }
        if (options.sha256) {
          const actual = await sha256File(part);
          if (actual !== options.sha256.toLowerCase()) {
            await rm(part, { force: true });
            throw new ChecksumError(`SHA-256 mismatch: expected ${options.sha256}, got ${actual}; the file was discarded`);
          }
        }
        await rename(part, dest);
        return { file: dest, url, resumed };
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const reason = reasonOf(error);
        failures.push({ url, reason });
        // A bad checksum on a fresh transfer will not change on a retry; after a resume, start over once.
        const last =
          attempt === attempts ||
          (error instanceof HttpStatusError && error.final) ||
          (error instanceof ChecksumError && resumedFrom === 0);
        log(`Download of ${url} failed (${reason})${last ? '' : '; retrying'}`);
        if (last) break;
        await sleep((options.retryDelayMs ?? 500) * 2 ** (attempt - 1));
      }
    }
  }
  const lines = failures.map((f) => `  ${f.url}: ${f.reason}`).join('\n');
  throw new DownloadError(
    `Could not download ${path.basename(dest)} from any mirror:\n${lines}\n` +
      `Check network access to these mirrors, or place the file at ${dest} yourself (a partial download is kept at ${part} and resumed next time).`,
    failures,
  );
}
