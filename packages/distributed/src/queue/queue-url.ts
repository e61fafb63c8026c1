import { FrugalInputError } from '@frugal/core';
import type { RedisOptions } from 'ioredis';

/** The Redis connection of a `--queue redis://HOST:PORT[/DB]` URL, as BullMQ needs it. */
export function queueConnection(url: string): RedisOptions {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  const db = parsed?.pathname && parsed.pathname !== '/' ? Number(parsed.pathname.slice(1)) : 0;
  if (!parsed || parsed.protocol !== 'redis:' || !parsed.hostname || !Number.isInteger(db) || db < 0) {
    throw new FrugalInputError(`--queue: got "${url}"; expected redis://HOST:PORT (for example redis://127.0.0.1:6379), optionally /DB`);
  }
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 6379,
    db,
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    // BullMQ's blocking commands must wait through a Redis restart rather than fail.
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => Math.min(200 * times, 2000),
  };
}
