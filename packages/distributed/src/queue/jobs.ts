import type { ManifestEntry, SkippedImage } from '@frugal/data';

/** The one queue every Frugal worker listens on; jobs are told apart by name. */
export const QUEUE_NAME = 'frugal';

/** A shard of a labelling run: a range of a folder's files, never their bytes. */
export interface LabelJobData {
  /** The folder, as every worker sees it (the same files, or a shared folder). */
  readonly root: string;
  readonly entries: readonly ManifestEntry[];
  readonly teacherDir: string;
  /** The coordinator's teacher: a worker whose teacher hashes otherwise refuses the job. */
  readonly teacherHash: string;
  readonly batchSize: number;
}

export interface LabelJobResult {
  readonly text: string;
  readonly labelled: number;
  readonly skipped: SkippedImage[];
}

/** A shard of an evaluation: images of a labelled folder, with their labels. */
export interface EvalJobData {
  readonly root: string;
  readonly entries: readonly ManifestEntry[];
  readonly labels: readonly number[];
  readonly teacherDir: string;
  readonly teacherHash: string;
  readonly batchSize: number;
}

export interface EvalJobResult {
  /** The logits of the images that decoded, row after row. */
  readonly logits: number[];
  /** Their labels. */
  readonly labels: number[];
  readonly skipped: SkippedImage[];
}

/** Job names on the queue: labelling and evaluation run here; others (`sweep`) by handlers a worker is given. */
export type JobName = 'label' | 'eval' | 'sweep';
