import { FrugalInputError } from '@frugal/core';

/** A range of a manifest's entries: the unit of work of a queue job. */
export interface Shard {
  /** `shard-000042`: the order of the shards is the order of their names. */
  readonly id: string;
  /** First entry (inclusive) and end (exclusive). */
  readonly start: number;
  readonly end: number;
}

/**
 * Splits `total` entries into shards of `shardSize` (the last may be shorter). A shard size that
 * is a multiple of the batch size keeps every forward pass the same as one process's, whatever
 * machine runs each shard.
 */
export function planShards(total: number, shardSize: number, batchSize: number): Shard[] {
  if (!Number.isInteger(shardSize) || shardSize < 1) {
    throw new FrugalInputError(`--shard-size: got ${shardSize}; expected a whole number of images >= 1`);
  }
  if (shardSize % batchSize !== 0) {
    throw new FrugalInputError(
      `--shard-size: got ${shardSize}, not a multiple of the batch size ${batchSize}; use ${Math.max(1, Math.round(shardSize / batchSize)) * batchSize} so that every shard runs the same batches as one process`,
    );
  }
  const shards: Shard[] = [];
  for (let start = 0, k = 0; start < total; start += shardSize, k++) {
    shards.push({ id: `shard-${String(k).padStart(6, '0')}`, start, end: Math.min(total, start + shardSize) });
  }
  return shards;
}
