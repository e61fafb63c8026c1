import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { THREADS_ENV } from '../threads.js';
import { UsageError } from '../usage-error.js';
import type { ChildJobKind, ChildJobs, ChildMessage, ChildRequest } from './child-jobs.js';

const CHILD = fileURLToPath(new URL('./child.js', import.meta.url));

export interface RunInChildOptions {
  /** The backend the child activates (a name `selectBackend` knows, e.g. the parent's own). */
  readonly backend: string;
  /** The native backend's threads in the child (default: as the parent's environment says). */
  readonly threads?: number;
  /** Names the job in messages: `ladder.yaml rung "fixmatch"`. */
  readonly name: string;
  /** Receives the child's log lines and what it prints (a line per epoch: its output is no terminal). */
  readonly log: (note: string) => void;
  /**
   * Stops the child: at once, or with `checkpointOnStop` at its next step, with a checkpoint (the
   * child stops its training when the parent disconnects), and the job fails once it has.
   */
  readonly signal?: AbortSignal;
  readonly checkpointOnStop?: boolean;
  /**
   * Runs the child in a process group of its own, so that a Ctrl-C at the parent's terminal does
   * not reach it and the parent decides when it stops. It still stops when the parent is gone.
   */
  readonly detached?: boolean;
}

/**
 * Trains one job in a process of its own and gives back what it gave. The parent's event loop
 * stays free meanwhile (a queue worker keeps renewing its job's lock). Bad input the job meets
 * comes back as bad input (exit 2), a file-system error with its code and path, any other failure
 * with the job named.
 */
export function runInChild<K extends ChildJobKind>(kind: K, task: ChildJobs[K]['task'], options: RunInChildOptions): Promise<ChildJobs[K]['result']> {
  const { name, log, signal } = options;
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      env: options.threads === undefined ? process.env : { ...process.env, [THREADS_ENV]: String(options.threads) },
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: options.detached ?? false,
    });
    for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', log);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', stop);
      fn();
    };
    let disconnected = false;
    const stop = () => {
      if (!options.checkpointOnStop) {
        return settle(() => {
          child.kill();
          reject(new Error(`${name}: stopped`));
        });
      }
      disconnected = true;
      if (child.connected) child.disconnect();
    };
    signal?.addEventListener('abort', stop, { once: true });
    // What the job gave, or why it failed: settled once its output is all read.
    let outcome: (() => void) | undefined;
    child.on('message', (message: ChildMessage) => {
      if ('note' in message) return log(message.note);
      if ('result' in message) return void (outcome = () => resolve(message.result as ChildJobs[K]['result']));
      const { message: text, input, errno, path } = message.error;
      if (input) return void (outcome = () => reject(new UsageError(text)));
      const error: NodeJS.ErrnoException = new Error(errno ? text : `${name}: ${text}`);
      if (errno) Object.assign(error, { code: errno, path });
      outcome = () => reject(error);
    });
    child.on('error', (error) => settle(() => reject(error)));
    const ended = (code: number | null, how: NodeJS.Signals | null) =>
      settle(outcome ?? (() => reject(new Error(`${name}: its process ended (${how ?? `exit code ${code}`}) before the job was done`))));
    child.on('close', ended);
    // A child the parent disconnected never emits 'close' (Node waits for a channel it will not count as closed): its exit ends the job.
    child.on('exit', (code, how) => disconnected && ended(code, how));
    const request: ChildRequest<K> = { kind, task, backend: options.backend };
    child.send(request);
  });
}
