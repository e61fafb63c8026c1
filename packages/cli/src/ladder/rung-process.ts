import { fork } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { THREADS_ENV } from '../threads.js';
import { UsageError } from '../usage-error.js';
import type { RungResult, RungTask } from './run-rung.js';

/** What a rung's process tells its parent: a log line, then what the run gave or why it failed. */
export type ChildMessage =
  | { readonly note: string }
  | { readonly result: RungResult }
  | { readonly error: { readonly message: string; readonly input: boolean; readonly errno?: string; readonly path?: string } };

const CHILD = fileURLToPath(new URL('./rung-child.js', import.meta.url));

/**
 * Trains one rung in a process of its own, its native backend on `threads` threads; `signal`
 * stops it. Its log lines and what it prints (a line per epoch: its output is no terminal) come to
 * `log`. Bad input the rung meets comes back as bad input (exit 2), a file-system error with its
 * code and path, any other failure with the rung named.
 */
export function runRungInProcess(task: RungTask, backend: string, threads: number, log: (note: string) => void, signal: AbortSignal): Promise<RungResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      env: { ...process.env, [THREADS_ENV]: String(threads) },
      serialization: 'advanced',
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    for (const stream of [child.stdout, child.stderr]) if (stream) createInterface({ input: stream }).on('line', log);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', kill);
      fn();
    };
    const kill = () => settle(() => {
      child.kill();
      reject(new Error(`${task.source}: stopped`));
    });
    signal.addEventListener('abort', kill, { once: true });
    // What the rung gave, or why it failed: settled once its output is all read.
    let outcome: (() => void) | undefined;
    child.on('message', (message: ChildMessage) => {
      if ('note' in message) return log(message.note);
      if ('result' in message) return void (outcome = () => resolve(message.result));
      const { message: text, input, errno, path } = message.error;
      if (input) return void (outcome = () => reject(new UsageError(text)));
      const error: NodeJS.ErrnoException = new Error(errno ? text : `${task.source}: ${text}`);
      if (errno) Object.assign(error, { code: errno, path });
      outcome = () => reject(error);
    });
    child.on('error', (error) => settle(() => reject(error)));
    child.on('close', (code, how) => settle(outcome ?? (() => reject(new Error(`${task.source}: its process ended (${how ?? `exit code ${code}`}) before the rung was done`)))));
    child.send({ task, backend });
  });
}
