import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInputError } from '@frugal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueConnection } from '../queue/queue-url.js';
import { planShards } from './plan-shards.js';
import { runId } from './run-id.js';
import { ShardStore } from './shard-store.js';

let dir: string;
beforeAll(async () => void (dir = await mkdtemp(join(tmpdir(), 'frugal-shards-'))));
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('planShards', () => {
  it('covers every entry once, in ranges of the shard size, named in order', () => {
    const shards = planShards(10, 4, 2);
    expect(shards).toEqual([
      { id: 'shard-000000', start: 0, end: 4 },
      { id: 'shard-000001', start: 4, end: 8 },
      { id: 'shard-000002', start: 8, end: 10 },
    ]);
    expect(planShards(0, 4, 2)).toEqual([]);
  });

  it('refuses a shard size that is not a multiple of the batch size, saying which would do', () => {
    expect(() => planShards(10, 5, 2)).toThrow(/--shard-size: got 5, not a multiple of the batch size 2; use 6/);
    expect(() => planShards(10, 0, 2)).toThrow(/--shard-size: got 0; expected a whole number/);
    try {
      planShards(10, 5, 2);
    } catch (error) {
      expect(isInputError(error)).toBe(true);
    }
  });
});

describe('ShardStore', () => {
  it('stores each shard atomically under its id; a shard stored twice is stored once; merge joins them in order', async () => {
    const store = new ShardStore(join(dir, 'store'));
    await store.write('shard-000001', 'b\n');
    await store.write('shard-000000', 'a\n');
    await store.write('shard-000001', 'b\n');
    expect(store.has('shard-000000')).toBe(true);
    expect(store.has('shard-000002')).toBe(false);
    expect(readdirSync(join(dir, 'store')).sort()).toEqual(['shard-000000.out', 'shard-000001.out']);
    await store.merge(['shard-000000', 'shard-000001'], join(dir, 'out', 'merged.jsonl'));
    expect(readFileSync(join(dir, 'out', 'merged.jsonl'), 'utf8')).toBe('a\nb\n');
    // Nothing half-written is left beside the output.
    expect(readdirSync(join(dir, 'out'))).toEqual(['merged.jsonl']);
  });

  it('a merge that fails leaves the output as it was', async () => {
    const store = new ShardStore(join(dir, 'store2'));
    await store.write('shard-000000', 'new\n');
    await store.merge(['shard-000000'], join(dir, 'kept.jsonl'));
    await expect(store.merge(['shard-000000', 'shard-000009'], join(dir, 'kept.jsonl'))).rejects.toThrow(/ENOENT/);
    expect(readFileSync(join(dir, 'kept.jsonl'), 'utf8')).toBe('new\n');
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    await store.remove();
    expect(existsSync(join(dir, 'store2'))).toBe(false);
  });
});

describe('runId', () => {
  it('is the same for the same inputs and differs otherwise', () => {
    expect(runId('label', 'abc', [1, 2])).toBe(runId('label', 'abc', [1, 2]));
    expect(runId('label', 'abc', [1, 2])).not.toBe(runId('label', 'abd', [1, 2]));
    expect(runId('label', 'x')).toMatch(/^label-[0-9a-f]{16}$/);
  });
});

describe('queueConnection', () => {
  it('reads host, port and database from redis:// URLs', () => {
    expect(queueConnection('redis://10.0.0.5:6390/2')).toMatchObject({ host: '10.0.0.5', port: 6390, db: 2, maxRetriesPerRequest: null });
    expect(queueConnection('redis://queue.local')).toMatchObject({ host: 'queue.local', port: 6379, db: 0 });
  });

  it('refuses anything else, naming the flag and the value', () => {
    for (const bad of ['localhost:6379', 'http://x:1', 'redis://', 'redis://h:1/x']) {
      expect(() => queueConnection(bad)).toThrow(new RegExp(`--queue: got "${bad.replace(/[/.]/g, '\\$&')}"; expected redis://HOST:PORT`));
    }
  });
});
