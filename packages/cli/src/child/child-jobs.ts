import type { RungResult, RungTask } from '../ladder/run-rung.js';
import type { SweepJobData, SweepRunResult } from '../sweep/sweep-run.js';

/** What a child process can be asked to train, each kind with the task it is sent and the result it gives back. */
export interface ChildJobs {
  /** One rung of `frugal ladder --jobs N`. */
  readonly rung: { readonly task: RungTask; readonly result: RungResult };
  /** One run of a sweep, taken from the queue by `frugal worker`. */
  readonly sweep: { readonly task: SweepJobData; readonly result: SweepRunResult };
}

export type ChildJobKind = keyof ChildJobs;

/** What a parent sends its child: the one job to run, on the backend named. */
export interface ChildRequest<K extends ChildJobKind = ChildJobKind> {
  readonly kind: K;
  readonly task: ChildJobs[K]['task'];
  readonly backend: string;
}

/** What a child tells its parent: a log line, then what the job gave or why it failed. */
export type ChildMessage =
  | { readonly note: string }
  | { readonly result: unknown }
  | { readonly error: { readonly message: string; readonly input: boolean; readonly errno?: string; readonly path?: string } };
