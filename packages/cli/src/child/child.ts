/**
 * A child process of `runInChild`: runs the one job its parent sends on the backend named, passes
 * its log lines on, reports what the job gave (or why it failed) and exits.
 */
import { isInputError } from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import { runRung } from '../ladder/run-rung.js';
import { runSweepJob } from '../sweep/sweep-run.js';
import type { ChildJobKind, ChildJobs, ChildMessage, ChildRequest } from './child-jobs.js';

type Job<K extends ChildJobKind> = (task: ChildJobs[K]['task'], note: (message: string) => void, signal: AbortSignal) => Promise<ChildJobs[K]['result']>;

const jobs: { readonly [K in ChildJobKind]: Job<K> } = {
  rung: (task, note, signal) => runRung(task, note, { signal }),
  sweep: (task, _note, signal) => runSweepJob(task, signal),
};

const send = (message: ChildMessage) =>
  new Promise<void>((resolve) => (process.connected && process.send ? process.send(message, () => resolve()) : resolve()));

// The parent gone (it failed, or was stopped): the job stops at its next step, with a checkpoint.
const parentGone = new AbortController();
process.on('disconnect', () => parentGone.abort());

process.once('message', async <K extends ChildJobKind>({ kind, task, backend }: ChildRequest<K>) => {
  let code = 0;
  try {
    await activateBackend(await frugalWith(), backend);
    const run = jobs[kind] as Job<K>;
    const result = await run(task, (note) => void send({ note }), parentGone.signal);
    await send({ result });
  } catch (error) {
    const { message, code: errno, path } = error as NodeJS.ErrnoException;
    await send({ error: { message: message ?? String(error), input: isInputError(error), errno, path } });
    code = 1;
  }
  process.exit(code);
});
