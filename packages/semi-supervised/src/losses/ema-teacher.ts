import type { BuiltModel, TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';

type Weights = BuiltModel['model']['weights'];

function networkOf(built: BuiltModel): BuiltModel['model'] {
  return built.trainingModel ?? built.model;
}

/**
 * A teacher whose weights are an exponential moving average of the trained model's (trainable
 * weights and BatchNorm statistics alike): after every step, teacher = decay · teacher +
 * (1 − decay) · model. It predicts in inference mode, so its pseudo-labels follow the averaged
 * model rather than the last step's noise (the Mean Teacher's averaging, used by FixMatch's
 * descendants to take pseudo-labels). It lives in its own copy of the network; its weights are
 * saved with checkpoints (it is a training callback for that), so a resumed run matches.
 */
export class EmaTeacher implements TrainingCallback {
  readonly name = 'fixmatch-ema-teacher';

  /** `teacher` is a second build of `live`'s architecture; the teacher owns it from here on. */
  constructor(
    private readonly live: BuiltModel,
    private readonly teacher: BuiltModel,
    readonly decay: number,
  ) {
    const [a, b] = [networkOf(live).weights, networkOf(teacher).weights];
    if (a.length !== b.length || a.some((w, i) => w.shape.join(',') !== b[i]?.shape.join(','))) {
      throw new Error('EmaTeacher: the teacher is not built like the model it follows');
    }
  }

  private get pairs(): [Weights[number], Weights[number]][] {
    const live = networkOf(this.live).weights;
    return networkOf(this.teacher).weights.map((w, i) => [w, live[i] as Weights[number]]);
  }

  /** Starts the average at the model's current weights (call when the consistency training begins). */
  start(): void {
    tf.tidy(() => this.pairs.forEach(([t, l]) => t.write(l.read().clone())));
  }

  onStepEnd(): void {
    const d = this.decay;
    tf.tidy(() => this.pairs.forEach(([t, l]) => t.write(tf.add(tf.mul(t.read(), d), tf.mul(l.read(), 1 - d)))));
  }

  /** The teacher's logits for normalised images, in inference mode (the caller disposes them). */
  predict(x: tf.Tensor4D): tf.Tensor2D {
    const out = networkOf(this.teacher).apply(x, { training: false }) as tf.Tensor2D | tf.Tensor2D[];
    if (!Array.isArray(out)) return out;
    out.slice(1).forEach((t) => t.dispose());
    return out[0] as tf.Tensor2D;
  }

  /** The averaged weights (copies; the caller disposes them). */
  weights(): tf.Tensor[] {
    return networkOf(this.teacher).weights.map((w) => w.read().clone());
  }

  getState(): { weights: string[] } {
    return {
      weights: networkOf(this.teacher).weights.map((w) => {
        const data = w.read().dataSync() as Float32Array;
        return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
      }),
    };
  }

  setState(state: unknown): void {
    const saved = (state as { weights?: unknown } | undefined)?.weights;
    const weights = networkOf(this.teacher).weights;
    if (!Array.isArray(saved) || saved.length !== weights.length) {
      throw new Error("The checkpoint's EMA teacher does not match this model; start the run afresh (without resume).");
    }
    tf.tidy(() =>
      weights.forEach((w, i) => {
        const bytes = Buffer.from(String(saved[i]), 'base64');
        const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        if (values.length !== w.read().size) throw new Error("The checkpoint's EMA teacher does not match this model; start the run afresh (without resume).");
        w.write(tf.tensor(values, w.read().shape, 'float32'));
      }),
    );
  }

  dispose(): void {
    this.teacher.model.dispose();
  }
}
