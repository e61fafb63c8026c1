import { existsSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { makeDir, writeFileAtomic } from '@frugal/core';

/**
 * The results of a sharded job, one file per shard named by its id, each written atomically
 * (a temporary file, then a rename): a shard delivered twice writes the same file twice, so
 * at-least-once delivery gives exactly-once output. `merge` joins them, in shard order, into one
 * file, also atomically.
 */
export class ShardStore {
  constructor(readonly dir: string) {}

  private file(id: string, ext: string): string {
    return join(this.dir, `${id}.${ext}`);
  }

  has(id: string, ext = 'out'): boolean {
    return existsSync(this.file(id, ext));
  }

  async write(id: string, content: string, ext = 'out'): Promise<void> {
    await writeFileAtomic(this.file(id, ext), content);
  }

  async read(id: string, ext = 'out'): Promise<string> {
    return readFile(this.file(id, ext), 'utf8');
  }

  /** Concatenates the shards `ids` (all present) into `outFile`, atomically. */
  async merge(ids: readonly string[], outFile: string, ext = 'out'): Promise<void> {
    await makeDir(dirname(outFile));
    const tmp = join(dirname(outFile), `.${basename(outFile)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      const out = await open(tmp, 'w');
      try {
        // One shard in memory at a time: the merged file may be far larger than memory.
        for (const id of ids) await out.writeFile(await readFile(this.file(id, ext)));
        await out.sync();
      } finally {
        await out.close();
      }
      await rename(tmp, outFile);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
  }

  async remove(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
