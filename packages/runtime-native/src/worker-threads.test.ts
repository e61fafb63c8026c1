import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { loadAddon } from './addon.js';

const status = loadAddon();
const built = existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)));
const reason = !status.available ? status.reason : !built ? 'the package is not built (npm run build)' : '';
const script = new URL('./test-support/worker-training.mjs', import.meta.url);

/** The losses of one worker thread's training run. */
function train(steps: number): Promise<number[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { workerData: { steps, batch: 8, size: 16 } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`the worker exited with code ${code}`)));
  });
}

// Each worker thread runs its own TensorFlow.js; the addon, loaded once per process, keeps its
// convolution plans and oneDNN stream per thread, so threads training at once do not share them.
describe.skipIf(reason !== '')(`the native kernels on worker threads${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('trains in four threads at once exactly as in one thread alone', async () => {
    const alone = await train(30);
    expect(alone[29]).toBeLessThan(alone[0]!);
    const together = await Promise.all([train(30), train(30), train(30), train(30)]);
    for (const losses of together) expect(losses).toEqual(alone);
  });
});
