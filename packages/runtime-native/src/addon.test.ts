import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUILD_COMMAND, loadAddon, probeAddon } from './addon.js';
import { nativeInfo } from './info.js';
import { defaultThreads, setNativeThreads, THREADS_ENV } from './threads.js';

const status = loadAddon();
const dir = mkdtempSync(join(tmpdir(), 'frugal-native-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('finding the addon', () => {
  it('says to install oneDNN and build when neither is there', () => {
    const s = probeAddon(join(dir, 'none.node'), join(dir, 'no-dnnl.hpp'));
    expect(s).toEqual({
      available: false,
      reason: 'oneDNN (libdnnl-dev) is not installed, so the addon was not built',
      remedy: `Run \`apt-get install -y libdnnl-dev\`, then \`${BUILD_COMMAND}\`.`,
    });
  });

  it('says to build when oneDNN is there but the addon is not', () => {
    const header = join(dir, 'dnnl.hpp');
    writeFileSync(header, '');
    expect(probeAddon(join(dir, 'none.node'), header)).toMatchObject({ available: false, reason: 'the addon is not built (oneDNN is installed)', remedy: `Run \`${BUILD_COMMAND}\`.` });
  });

  it('names the load error of a damaged addon', () => {
    const broken = join(dir, 'broken.node');
    writeFileSync(broken, 'not a shared library');
    const s = probeAddon(broken);
    expect(s.available).toBe(false);
    expect(!s.available && s.reason).toMatch(/^the addon failed to load: /);
  });
});

describe.skipIf(!status.available)(`the built addon${status.available ? '' : ` (skipped: ${!status.available && status.reason})`}`, () => {
  it('reports oneDNN’s version and library file, the instruction set and the threads', () => {
    setNativeThreads(2);
    expect(nativeInfo()).toMatchObject({ oneDNN: expect.stringMatching(/^\d+\.\d+\.\d+$/), oneDNNLibrary: expect.stringMatching(/^\/.*libdnnl\.so\.\d+$/), threads: 2 });
    setNativeThreads(1);
    expect(nativeInfo()?.threads).toBe(1);
  });

  it('takes its thread count from FRUGAL_NUM_THREADS and refuses a bad one with the fix', () => {
    const saved = process.env[THREADS_ENV];
    try {
      process.env[THREADS_ENV] = '3';
      expect(defaultThreads()).toBe(3);
      process.env[THREADS_ENV] = 'two';
      expect(() => defaultThreads()).toThrow('FRUGAL_NUM_THREADS=two is not a whole number of threads ≥ 1; unset it or set it to e.g. 2.');
    } finally {
      if (saved === undefined) delete process.env[THREADS_ENV];
      else process.env[THREADS_ENV] = saved;
    }
  });
});
