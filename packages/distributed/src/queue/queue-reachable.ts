import { FrugalInputError } from '@frugal/core';
import { queueConnection } from './queue-url.js';

/**
 * Connects to the queue's Redis once, and fails with one clear line when it cannot within
 * `timeoutMs` — rather than waiting for it forever, as the queue's own connections do (they must
 * ride out a restart mid-run).
 */
export async function requireQueueReachable(url: string, timeoutMs = 5000): Promise<void> {
  // Loaded here, not at the top: every frugal command imports this package, few use a queue.
  const { Redis } = await import('ioredis');
  const client = new Redis({ ...queueConnection(url), lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: timeoutMs });
  let cause: Error | undefined;
  client.on('error', (error: Error) => void (cause ??= error));
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    throw new FrugalInputError(
      `Cannot reach the queue at ${url} (${(cause ?? (error as Error)).message}); start Redis there (redis-server --port PORT) or check --queue`,
    );
  } finally {
    client.disconnect();
  }
}
