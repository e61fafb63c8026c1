// Data-parallel training over worker threads (one wasm instance per thread): each step splits the
// batch across the replicas, which exchange gradients through shared memory.
import { Worker } from 'node:worker_threads';

export class DataParallel {
  static async start({ modelName, backend = 'wasm', workers = 2, learningRate = 0.05, momentum = 0.9, parameters }) {
    const gradients = new SharedArrayBuffer(2 * workers * parameters * 4);
    const replicas = Array.from(
      { length: workers },
      (_, rank) =>
        new Worker(new URL('./data-parallel-worker.mjs', import.meta.url), {
          workerData: { modelName, backend, rank, workers, gradients, learningRate, momentum },
        }),
    );
    await Promise.all(replicas.map((w) => once(w, 'ready')));
    return new DataParallel(replicas);
  }

  constructor(replicas) {
    this.replicas = replicas;
  }

  /** One training step on `x` ([batch, ...inputShape] values) and one-hot `y`; resolves to the mean loss. */
  async step(x, y, batch) {
    const shards = split(batch, this.replicas.length);
    const perImageX = x.length / batch;
    const perImageY = y.length / batch;
    const losses = await Promise.all(
      this.replicas.map((w, r) => {
        const [from, n] = shards[r];
        const reply = once(w, 'gradients');
        w.postMessage({
          type: 'step',
          x: x.slice(from * perImageX, (from + n) * perImageX),
          y: y.slice(from * perImageY, (from + n) * perImageY),
          batch: n,
        });
        return reply.then((m) => m.loss * n);
      }),
    );
    for (const w of this.replicas) w.postMessage({ type: 'apply' });
    return losses.reduce((a, b) => a + b, 0) / batch;
  }

  /** Logits of `x`, each replica predicting its share. */
  async predict(x, batch) {
    const shards = split(batch, this.replicas.length);
    const perImage = x.length / batch;
    const parts = await Promise.all(
      this.replicas.map((w, r) => {
        const [from, n] = shards[r];
        const reply = once(w, 'logits');
        w.postMessage({ type: 'predict', x: x.slice(from * perImage, (from + n) * perImage), batch: n });
        return reply.then((m) => m.logits);
      }),
    );
    const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out;
  }

  /** Every replica's trainable weights (to check that they stay identical). */
  weights() {
    return Promise.all(
      this.replicas.map((w) => {
        const reply = once(w, 'weights');
        w.postMessage({ type: 'weights' });
        return reply.then((m) => m.weights);
      }),
    );
  }

  close() {
    return Promise.all(this.replicas.map((w) => w.terminate()));
  }
}

function split(batch, parts) {
  const out = [];
  let from = 0;
  for (let r = 0; r < parts; r++) {
    const n = Math.floor(batch / parts) + (r < batch % parts ? 1 : 0);
    out.push([from, n]);
    from += n;
  }
  return out;
}

function once(worker, type) {
  return new Promise((resolve, reject) => {
    const onMessage = (m) => {
      if (m.type !== type) return;
      worker.off('message', onMessage);
      worker.off('error', reject);
      resolve(m);
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });
}
