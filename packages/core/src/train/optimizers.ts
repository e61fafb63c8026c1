import * as tf from '@tensorflow/tfjs-core';
import type { OptimizerConfig } from './train-config.js';

/**
 * Optimizers with PyTorch semantics and explicit state, so that parameter groups can each have
 * their own learning rate, weight decay applies only to weights (not biases or norm parameters),
 * and the state goes into checkpoints by variable name.
 */
export interface Optimizer {
  readonly config: OptimizerConfig;
  /**
   * Applies one update with learning rate `lr`; `grads[i]` belongs to `variables[i]`, and
   * `keys[i]` names its state (stable across processes, unlike tfjs variable names).
   */
  step(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number, keys: readonly string[]): void;
  /** State tensors by name (`<key>/<slot>`), for checkpoints. */
  getState(): { step: number; tensors: Record<string, tf.Tensor> };
  setState(state: { step: number; tensors: Record<string, tf.Tensor> }): void;
  dispose(): void;
}

/** Weight decay applies to kernels (rank >= 2), not to biases, BatchNorm or other vectors. */
export function decays(variable: tf.Variable): boolean {
  return variable.rank >= 2;
}

abstract class SlotOptimizer implements Optimizer {
  protected slots = new Map<string, tf.Variable[]>();
  protected t = 0;

  constructor(
    readonly config: OptimizerConfig,
    private readonly slotCount: number,
  ) {}

  protected slotsFor(variable: tf.Variable, key: string): tf.Variable[] {
    let slots = this.slots.get(key);
    if (!slots) {
      slots = Array.from({ length: this.slotCount }, () => tf.tidy(() => tf.variable(tf.zerosLike(variable), false)));
      this.slots.set(key, slots);
    }
    return slots;
  }

  abstract update(variable: tf.Variable, grad: tf.Tensor, lr: number, slots: tf.Variable[]): void;

  step(variables: readonly tf.Variable[], grads: readonly tf.Tensor[], lr: number, keys: readonly string[]): void {
    this.t++;
    variables.forEach((v, i) => {
      const slots = this.slotsFor(v, keys[i] ?? v.name);
      tf.tidy(() => this.update(v, grads[i] as tf.Tensor, lr, slots));
    });
  }

  getState(): { step: number; tensors: Record<string, tf.Tensor> } {
    const tensors: Record<string, tf.Tensor> = {};
    for (const [name, slots] of this.slots) slots.forEach((s, i) => (tensors[`${name}/${i}`] = s));
    return { step: this.t, tensors };
  }

  setState(state: { step: number; tensors: Record<string, tf.Tensor> }): void {
    this.dispose();
    this.t = state.step;
    for (const [key, value] of Object.entries(state.tensors)) {
      const cut = key.lastIndexOf('/');
      const name = key.slice(0, cut);
      const index = Number(key.slice(cut + 1));
      const slots = this.slots.get(name) ?? [];
      slots[index] = tf.tidy(() => tf.variable(value.clone(), false));
      this.slots.set(name, slots);
    }
  }

  dispose(): void {
    for (const slots of this.slots.values()) slots.forEach((s) => s.dispose());
    this.slots.clear();
  }
}

/**
 * The kernel a backend may provide for one variable's SGD step in one pass (@frugal/runtime-native
 * does), with the numbers of the operations below.
 */
export const SGD_UPDATE_KERNEL = 'FrugalSgdUpdate';

/** SGD with (Nesterov) momentum and coupled L2 weight decay, as torch.optim.SGD. */
class Sgd extends SlotOptimizer {
  constructor(config: OptimizerConfig) {
    super(config, config.momentum > 0 ? 1 : 0);
  }

  update(v: tf.Variable, grad: tf.Tensor, lr: number, slots: tf.Variable[]): void {
    const { momentum, nesterov, weightDecay } = this.config;
    if (tf.getKernel(SGD_UPDATE_KERNEL, tf.getBackend()) && v.dtype === 'float32' && grad.dtype === 'float32') {
      const buf = slots[0];
      const inputs = { variable: v, grad, ...(buf && this.t > 1 ? { momentumBuffer: buf } : {}) };
      const attrs = { lr, momentum, weightDecay: decays(v) ? weightDecay : 0, nesterov };
      const [next, nextBuf] = tf.engine().runKernel(SGD_UPDATE_KERNEL, inputs, attrs) as tf.Tensor[];
      if (buf) buf.assign(nextBuf!);
      v.assign(next!);
      return;
    }
    let g = weightDecay > 0 && decays(v) ? tf.add(grad, tf.mul(v, weightDecay)) : grad;
    if (momentum > 0) {
      const buf = slots[0] as tf.Variable;
      const next = this.t === 1 ? g : tf.add(tf.mul(buf, momentum), g);
      buf.assign(next);
      g = nesterov ? tf.add(g, tf.mul(next, momentum)) : next;
    }
    v.assign(tf.sub(v, tf.mul(g, lr)));
  }
}

/** Adam (coupled L2 decay) or AdamW (decoupled decay), as torch.optim.Adam / AdamW. */
class Adam extends SlotOptimizer {
  constructor(
    config: OptimizerConfig,
    private readonly decoupled: boolean,
  ) {
    super(config, 2);
  }

  update(v: tf.Variable, grad: tf.Tensor, lr: number, slots: tf.Variable[]): void {
    const { beta1, beta2, epsilon, weightDecay } = this.config;
    const [m, s] = slots as [tf.Variable, tf.Variable];
    const decay = weightDecay > 0 && decays(v);
    const g = decay && !this.decoupled ? tf.add(grad, tf.mul(v, weightDecay)) : grad;
    m.assign(tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1)));
    s.assign(tf.add(tf.mul(s, beta2), tf.mul(tf.square(g), 1 - beta2)));
    const mHat = tf.div(m, 1 - beta1 ** this.t);
    const sHat = tf.div(s, 1 - beta2 ** this.t);
    let update = tf.div(mHat, tf.add(tf.sqrt(sHat), epsilon));
    if (decay && this.decoupled) update = tf.add(update, tf.mul(v, weightDecay));
    v.assign(tf.sub(v, tf.mul(update, lr)));
  }
}

export function createOptimizer(config: OptimizerConfig): Optimizer {
  switch (config.name) {
    case 'sgd':
      return new Sgd(config);
    case 'adam':
      return new Adam(config, false);
    case 'adamw':
      return new Adam(config, true);
  }
}
