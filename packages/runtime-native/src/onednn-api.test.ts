import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The addon is built against the oneDNN this machine has (oneDNN 2 on Debian 12); the distributions
// since ship oneDNN 3, whose C++ API differs (src/addon/onednn-api.h). This compiles every source
// file against oneDNN 3's headers too — Debian 13's libdnnl-dev, unpacked where
// FRUGAL_DNNL3_INCLUDE says (.ci/run fetches it) — so that a change the other API does not take
// fails here, not on a user's machine.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const include = process.env.FRUGAL_DNNL3_INCLUDE ?? '';
const present = include !== '' && existsSync(join(include, 'oneapi', 'dnnl', 'dnnl.hpp'));
const addonDir = join(root, 'src', 'addon');
const sources = readdirSync(addonDir).filter((f) => f.endsWith('.cc'));

/** g++'s verdict on `file` (or on C++ read from `stdin`) against those headers, without compiling to code. */
function check(file: string, stdin?: string): Promise<{ file: string; status: number | null; stderr: string }> {
  const napi = (createRequire(import.meta.url)('node-addon-api') as { include_dir: string }).include_dir;
  const node = join(dirname(process.execPath), '..', 'include', 'node');
  const input = stdin === undefined ? [join(addonDir, file)] : ['-x', 'c++', '-'];
  const args = ['-std=c++17', '-fopenmp', '-fsyntax-only', '-DNAPI_VERSION=8', '-DNAPI_CPP_EXCEPTIONS', `-I${include}`, `-I${napi}`, `-I${node}`, ...input];
  return new Promise((resolve) => {
    const child = spawn('g++', args, { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (status) => resolve({ file, status, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

describe("the addon against oneDNN 3's API", () => {
  const why = present ? '' : ' (skipped: FRUGAL_DNNL3_INCLUDE names no folder holding oneapi/dnnl/dnnl.hpp)';
  it.skipIf(!present)(`every source file compiles${why}`, async () => {
    const version = await check('the headers', '#include <oneapi/dnnl/dnnl.hpp>\nstatic_assert(DNNL_VERSION_MAJOR == 3, "not oneDNN 3");\n');
    expect(version.status, version.stderr).toBe(0);
    const results = [];
    for (let i = 0; i < sources.length; i += 2) results.push(...(await Promise.all(sources.slice(i, i + 2).map((f) => check(f))))); // two at a time
    const failed = results.filter((r) => r.status !== 0).map((r) => `${r.file}:\n${r.stderr.split('\n').slice(0, 20).join('\n')}`);
    expect(failed.join('\n\n')).toBe('');
    expect(results.map((r) => r.file)).toEqual(expect.arrayContaining(['conv.cc', 'matmul.cc', 'addon.cc']));
  }, 300_000);
});
