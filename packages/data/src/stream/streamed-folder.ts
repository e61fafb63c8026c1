import path from 'node:path';
import { FrugalInputError, type ImageSet, type StreamedBatch, type StreamedImageSet } from '@frugal/core';
import { defaultCacheDir, isInside } from '../cache-dir.js';
import { loadUnlabelledFiles, loadUnlabelledFolder, type ImageFolderOptions } from '../image/load-image-folder.js';
import { decodeParams, type DecodeParams } from '../image/decode-options.js';
import { DecodePool } from './decode-pool.js';
import { readImageManifest, type ImageManifest } from './image-manifest.js';
import { streamImageBatches } from './stream-image-batches.js';

export interface StreamedFolderOptions extends Omit<ImageFolderOptions, 'classNames' | 'concurrency'> {
  readonly classNames?: readonly string[];
  /** Decoding threads (default 1). */
  readonly threads?: number;
}

/**
 * The images of a folder as a `StreamedImageSet`: listed up front (a manifest), decoded only when
 * read, a batch at a time, in worker threads. Image `i` is the manifest's entry `i`, and decodes to
 * the same pixels as `loadUnlabelledFolder` gives it.
 */
export class StreamedFolder implements StreamedImageSet {
  readonly shape: readonly [number, number, number];
  readonly count: number;
  readonly classNames: readonly string[];
  readonly dir: string;
  private pool: DecodePool | undefined;
  private readonly params: DecodeParams;
  private readonly diskCache: string | undefined;

  private constructor(
    private readonly given: string,
    private readonly manifest: ImageManifest,
    private readonly options: StreamedFolderOptions,
    /** Whether the manifest holds only some of the folder's images. */
    private readonly part = false,
  ) {
    this.params = decodeParams(options);
    this.shape = [this.params.height, this.params.width, this.params.channels];
    this.count = manifest.entries.length;
    this.classNames = [...(options.classNames ?? [])];
    this.dir = manifest.root;
    const cache = options.diskCache;
    this.diskCache = cache ? (cache === true ? path.join(defaultCacheDir(), 'decoded') : path.resolve(cache)) : undefined;
    if (this.diskCache && isInside(this.diskCache, this.dir)) {
      throw new FrugalInputError(
        `diskCache: "${this.diskCache}" is inside the image folder "${this.dir}"; Frugal writes nothing into data folders. ` +
          `Choose a folder elsewhere (or true for ${path.join(defaultCacheDir(), 'decoded')})`,
      );
    }
  }

  /** Lists the images of `dir` (none is decoded). */
  static async open(dir: string, options: StreamedFolderOptions): Promise<StreamedFolder> {
    const manifest = await readImageManifest(dir, { what: 'Unlabelled image folder' });
    if (manifest.entries.length === 0) {
      throw new FrugalInputError(`Unlabelled image folder "${dir}" has no images; add images or remove it from the recipe`);
    }
    return new StreamedFolder(dir, manifest, options);
  }

  /**
   * Some of the images of `dir`, as listed in `manifest` (a folder's manifest with entries left
   * out, e.g. the images a labels file names): read, and loaded, as those alone.
   */
  static fromManifest(dir: string, manifest: ImageManifest, options: StreamedFolderOptions): StreamedFolder {
    if (manifest.entries.length === 0) throw new FrugalInputError(`Image folder "${dir}" has no images left to read as unlabelled`);
    return new StreamedFolder(dir, manifest, options, true);
  }

  file(i: number): string {
    const entry = this.manifest.entries[i];
    if (!entry) throw new RangeError(`Image ${i} of ${this.dir}: the folder has ${this.count} images`);
    return entry.path;
  }

  async *read(indices: ArrayLike<number>, options: { batchSize: number; readAhead?: number; skipBadImages?: boolean }): AsyncGenerator<StreamedBatch> {
    const order = Int32Array.from(indices as ArrayLike<number>);
    const entries = Array.from(order, (i) => {
      const entry = this.manifest.entries[i];
      if (!entry) throw new RangeError(`Image ${i} of ${this.dir}: the folder has ${this.count} images`);
      return entry;
    });
    const pool = (this.pool ??= new DecodePool(this.options.threads ?? 1));
    const batches = streamImageBatches(this.dir, entries, this.params, {
      batchSize: options.batchSize,
      readAhead: options.readAhead ?? 2,
      pool,
      skipBadImages: options.skipBadImages ?? this.options.skipBadImages ?? false,
      ...(this.diskCache ? { diskCache: this.diskCache } : {}),
    });
    for await (const batch of batches) {
      yield { indices: Int32Array.from(batch.indices, (k) => order[k] as number), pixels: batch.pixels, skipped: batch.skipped };
    }
  }

  async load(): Promise<ImageSet> {
    const { threads: _threads, ...options } = this.options;
    if (!this.part) return (await loadUnlabelledFolder(this.given, options)).images;
    const files = this.manifest.entries.map((entry) => path.join(this.dir, ...entry.path.split('/')));
    return (await loadUnlabelledFiles(this.given, files, options)).images;
  }

  /** Ends the decoding threads (idle ones do not keep the process alive). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }
}
