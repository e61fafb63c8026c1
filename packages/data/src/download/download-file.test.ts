import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFileServer, type FileServer } from '../testing/file-server.js';
import { tempDir } from '../testing/fixtures.js';
import { DownloadError, downloadFile } from './download-file.js';

const body = randomBytes(300_000);
const sha256 = createHash('sha256').update(body).digest('hex');
let server: FileServer;
let dir: string;
let cleanup: () => Promise<void>;
const quiet = { progress: false, retryDelayMs: 1, log: () => {} } as const;

beforeAll(async () => {
  server = await startFileServer({ 'data.bin': body, 'other.bin': body, 'third.bin': body, 'fourth.bin': body });
  ({ dir, remove: cleanup } = await tempDir('download'));
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

const requestsFor = (name: string) => server.requests.filter((r) => r.path.endsWith(`/${name}`));

describe('downloadFile', () => {
  it('downloads, verifies the SHA-256 and leaves no partial file behind', async () => {
    const dest = path.join(dir, 'ok', 'data.bin');
    const result = await downloadFile({ urls: [`${server.base('ok')}data.bin`], dest, sha256, size: body.length, ...quiet });
    expect(result).toMatchObject({ file: dest, resumed: false, url: `${server.base('ok')}data.bin` });
    expect((await readFile(dest)).equals(body)).toBe(true);
    expect(await readdir(path.dirname(dest))).toEqual(['data.bin']);
    // A verified file is not fetched again.
    const before = server.requests.length;
    await downloadFile({ urls: [`${server.base('ok')}data.bin`], dest, sha256, ...quiet });
    expect(server.requests.length).toBe(before);
  });

  it('resumes a transfer cut off mid-way with an HTTP Range request', async () => {
    const dest = path.join(dir, 'cut', 'other.bin');
    const lines: string[] = [];
    const result = await downloadFile({
      urls: [`${server.base('truncate-once')}other.bin`],
      dest,
      sha256,
      size: body.length,
      ...quiet,
      log: (m) => lines.push(m),
    });
    expect(result.resumed).toBe(true);
    expect((await readFile(dest)).equals(body)).toBe(true);
    const requests = requestsFor('other.bin');
    expect(requests).toHaveLength(2);
    expect(requests[0]?.range).toBeUndefined();
    expect(requests[1]?.range).toBe(`bytes=${Math.floor(body.length * 0.4)}-`);
    expect(lines.some((l) => /failed \(.*\); retrying/.test(l))).toBe(true);
  });

  it('resumes a partial file left by an earlier run, and starts over when the server ignores ranges', async () => {
    const dest = path.join(dir, 'partial', 'third.bin');
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(`${dest}.part`, body.subarray(0, 1000));
    const result = await downloadFile({ urls: [`${server.base('ok')}third.bin`], dest, sha256, ...quiet });
    expect(result.resumed).toBe(true);
    expect(requestsFor('third.bin').at(-1)?.range).toBe('bytes=1000-');
    expect((await readFile(dest)).equals(body)).toBe(true);

    const again = path.join(dir, 'no-range', 'third.bin');
    await mkdir(path.dirname(again), { recursive: true });
    await writeFile(`${again}.part`, randomBytes(500));
    const fresh = await downloadFile({ urls: [`${server.base('no-range')}third.bin`], dest: again, sha256, ...quiet });
    expect(fresh.resumed).toBe(false);
    expect((await readFile(again)).equals(body)).toBe(true);
  });

  it('rejects a file whose SHA-256 does not match, keeping nothing of it', async () => {
    const dest = path.join(dir, 'bad', 'data.bin');
    const error = await downloadFile({ urls: [`${server.base('corrupt')}data.bin`], dest, sha256, ...quiet }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownloadError);
    const message = (error as Error).message;
    expect(message).toContain(`${server.base('corrupt')}data.bin: SHA-256 mismatch: expected ${sha256}, got `);
    expect(message).toContain(`place the file at ${dest} yourself`);
    expect(await stat(dest).catch(() => undefined)).toBeUndefined();
    expect(await stat(`${dest}.part`).catch(() => undefined)).toBeUndefined();
    // A bad checksum on a fresh transfer is not retried against the same mirror.
    expect((error as DownloadError).failures).toHaveLength(1);
  });

  it('moves on from a failing mirror to the next', async () => {
    const dest = path.join(dir, 'fallback', 'fourth.bin');
    const lines: string[] = [];
    const result = await downloadFile({
      urls: [`${server.base('error')}fourth.bin`, `${server.base('missing')}fourth.bin`, `${server.base('ok')}fourth.bin`],
      dest,
      sha256,
      attempts: 2,
      ...quiet,
      log: (m) => lines.push(m),
    });
    expect(result.url).toBe(`${server.base('ok')}fourth.bin`);
    expect((await readFile(dest)).equals(body)).toBe(true);
    // A 500 is retried (it may pass); a 404 is not.
    expect(server.requests.filter((r) => r.path === '/error/fourth.bin')).toHaveLength(2);
    expect(server.requests.filter((r) => r.path === '/missing/fourth.bin')).toHaveLength(1);
    expect(lines.some((l) => l.includes('HTTP 500 Internal Server Error'))).toBe(true);
  });

  it('reports every mirror when all fail', async () => {
    const dest = path.join(dir, 'none', 'data.bin');
    const error = (await downloadFile({
      urls: [`${server.base('error')}data.bin`, `${server.base('missing')}data.bin`],
      dest,
      attempts: 2,
      ...quiet,
    }).catch((e: unknown) => e)) as DownloadError;
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.message).toContain('Could not download data.bin from any mirror');
    expect(error.message).toContain(`${server.base('error')}data.bin: HTTP 500 Internal Server Error`);
    expect(error.message).toContain(`${server.base('missing')}data.bin: HTTP 404 Not Found`);
    expect(error.failures).toHaveLength(3);
  });
});
