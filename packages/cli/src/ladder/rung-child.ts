/**
 * A process of `frugal ladder --jobs N`: trains the one rung its parent sends on the backend named,
 * passes its log lines on, reports what the run gave (or why it failed) and exits.
 */
import { isInputError } from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import { runRung, type RungTask } from './run-rung.js';
import type { ChildMessage } from './rung-process.js';

const send = (message: ChildMessage) => new Promise<void>((resolve) => process.send?.(message, () => resolve()));

process.once('message', async ({ task, backend }: { task: RungTask; backend: string }) => {
  let code = 0;
  try {
    await activateBackend(await frugalWith({ seed: task.seed }), backend);
    const result = await runRung(task, (note) => void send({ note }));
    await send({ result });
  } catch (error) {
    const { message, code: errno, path } = error as NodeJS.ErrnoException;
    await send({ error: { message: message ?? String(error), input: isInputError(error), errno, path } });
    code = 1;
  }
  process.exit(code);
});
// The parent gone (it failed, or was stopped): so is the rung.
process.on('disconnect', () => process.exit(1));
