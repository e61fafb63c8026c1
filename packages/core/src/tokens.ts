import type { InjectionToken } from 'tsyringe';
import type { Registries } from './registry/registries.js';
import type { Rng } from './rng.js';
import type { Logger } from './services/logger.js';
import type { ImageCache } from './services/image-cache.js';
import type { CheckpointStore } from './services/checkpoint-store.js';
import type { FolderLabeller } from './services/folder-labeller.js';

/** A typed tsyringe token. */
export type Token<T> = InjectionToken<T> & symbol;

/** A new token; `description` names it in tsyringe's errors. */
export function token<T>(description: string): Token<T> {
  return Symbol(description) as Token<T>;
}

export const REGISTRIES = token<Registries>('frugal.registries');
export const ROOT_RNG = token<Rng>('frugal.rng');
/** Where runs write their notices (default: stderr). */
export const LOGGER = token<Logger>('frugal.logger');
/** Decoded images kept between loads (default: none; @frugal/data provides a bounded memory cache). */
export const IMAGE_CACHE = token<ImageCache>('frugal.image-cache');
/** Where the training loop keeps checkpoints (default: folders under the run directory). */
export const CHECKPOINT_STORE = token<CheckpointStore>('frugal.checkpoint-store');
/**
 * Labels a folder of images with a saved teacher outside this process, e.g. on a job queue's
 * workers (default: none; @frugal/distributed provides one on BullMQ).
 */
export const FOLDER_LABELLER = token<FolderLabeller>('frugal.folder-labeller');
