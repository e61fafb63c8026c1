import { loadLatestCheckpoint, saveCheckpoint, type CheckpointState, type CheckpointTensors } from '../train/checkpoint.js';

/** The latest readable checkpoint of a folder, with the unreadable ones passed over. */
export interface FoundCheckpoint {
  readonly path: string;
  readonly state: CheckpointState;
  /** Fresh tensors: the caller disposes them. */
  readonly tensors: CheckpointTensors;
  readonly skipped: readonly string[];
}

/**
 * Where the training loop keeps its checkpoints. The default writes folders atomically under the
 * run directory; a plugin can provide another (`registry.provide(CHECKPOINT_STORE, store)`).
 */
export interface CheckpointStore {
  /** Saves a checkpoint under `dir` (the tensors stay the caller's), keeps the newest `keep`; returns its path. */
  save(dir: string, state: CheckpointState, tensors: CheckpointTensors, keep: number): Promise<string>;
  /** The newest readable checkpoint under `dir`, or undefined. */
  loadLatest(dir: string): Promise<FoundCheckpoint | undefined>;
}

/** Checkpoints as folders on disk (`epoch-0003-step-0000120/`, `latest.json`), written atomically. */
export const fileCheckpointStore: CheckpointStore = {
  save: (dir, state, tensors, keep) => saveCheckpoint(dir, state, tensors, keep),
  loadLatest: async (dir) => (await loadLatestCheckpoint(dir)) ?? undefined,
};
