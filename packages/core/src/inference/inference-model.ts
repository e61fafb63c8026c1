import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { foldBatchNorm } from './fold-batch-norm.js';
import { inferencePlan, type ConvStep, type InferencePlan } from './inference-plan.js';

/**
 * The kernel a backend may provide for a residual block's last convolution (@frugal/runtime-native
 * does): act(conv(x, filter) + bias + residual) with tfjs's FusedConv2D attributes. Elsewhere the
 * convolution, the sum and the ReLU run as three kernels.
 */
export const FUSED_CONV_RESIDUAL = 'FrugalFusedConv2DResidual';

interface FoldedConv {
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D | undefined;
}

/**
 * A model's forward pass in inference mode with its batch norms folded into the convolutions
 * before them, and their zero padding and ReLU fused into the same kernel: the outputs of
 * `model.predict` (to float rounding) in fewer, cheaper kernel calls — a ResNet's batch norm and
 * ReLU passes over every activation disappear.
 *
 * The folded filters are computed once, when it is made, as its own tensors: make a new one after
 * the model's weights change, and `dispose()` it when done.
 */
export class InferenceModel {
  private readonly plan: InferencePlan;
  private readonly folded = new Map<ConvStep, FoldedConv>();
  private disposed = false;

  constructor(readonly model: LayersModel) {
    this.plan = inferencePlan(model);
    for (const step of this.plan.steps) {
      if (step.kind !== 'conv') continue;
      const kernel = step.kernel();
      const bias = step.bias?.();
      if (step.batchNorm) {
        this.folded.set(step, foldBatchNorm(kernel, bias, step.batchNorm()));
      } else {
        this.folded.set(step, { kernel: tf.clone(kernel), bias: bias ? tf.clone(bias) : undefined });
      }
    }
  }

  /** The plan's convolution steps, those of them that add a residual, and the layers run as they are. */
  get summary(): { fusedConvolutions: number; residualSums: number; layers: number } {
    const convs = this.plan.steps.filter((s): s is ConvStep => s.kind === 'conv');
    return { fusedConvolutions: convs.length, residualSums: convs.filter((s) => s.residual !== undefined).length, layers: this.plan.steps.length - convs.length };
  }

  /** The model's outputs for `x` in inference mode, as `model.predict` gives them. */
  predict(x: tf.Tensor): tf.Tensor | tf.Tensor[] {
    if (this.disposed) throw new Error('InferenceModel.predict: this inference model was disposed');
    if (!this.takes(x)) return this.model.predict(x); // which also says what is wrong with x
    return tf.tidy(() => {
      const values = new Map<number, tf.Tensor>([[this.plan.inputs[0]!, x]]);
      const get = (id: number): tf.Tensor => {
        const value = values.get(id);
        if (!value) throw new Error(`InferenceModel: tensor ${id} is used before it is computed`);
        return value;
      };
      for (const step of this.plan.steps) {
        if (step.kind === 'conv') {
          values.set(step.output, this.convolve(step, get(step.input) as tf.Tensor4D, step.residual === undefined ? undefined : get(step.residual)));
        } else {
          const inputs = step.inputs.map(get);
          const out = step.layer.call(inputs.length === 1 ? inputs[0]! : inputs, { ...step.callArgs, training: false });
          const outputs = Array.isArray(out) ? out : [out];
          step.outputs.forEach((id, i) => values.set(id, outputs[i]!));
        }
      }
      const outputs = this.plan.outputs.map(get);
      return outputs.length === 1 ? outputs[0]! : outputs;
    });
  }

  /**
   * One convolution step: act(conv(x) + bias [+ residual]), in one kernel where the backend has it.
   * `constantFilter` tells a backend that may keep a filter in its own layout that this one never
   * changes (@frugal/runtime-native does); others ignore it.
   */
  private convolve(step: ConvStep, x: tf.Tensor4D, residual: tf.Tensor | undefined): tf.Tensor {
    const { kernel, bias } = this.folded.get(step)!;
    const attrs = { strides: step.strides, pad: step.padding, dilations: step.dilations, dataFormat: 'NHWC', dimRoundingMode: undefined, constantFilter: true };
    const inputs: tf.NamedTensorMap = bias ? { x, filter: kernel, bias } : { x, filter: kernel };
    const conv = (activation: string, extra: tf.NamedTensorMap = {}, name: string = tf.FusedConv2D): tf.Tensor =>
      tf.engine().runKernel(name, { ...inputs, ...extra }, { ...attrs, activation } as unknown as tf.NamedAttrMap) as tf.Tensor;
    const activation = step.relu ? 'relu' : 'linear';
    if (!residual) return conv(activation);
    if (tf.getKernel(FUSED_CONV_RESIDUAL, tf.getBackend()) && x.dtype === 'float32' && residual.dtype === 'float32') {
      return conv(activation, { residual }, FUSED_CONV_RESIDUAL);
    }
    const sum = tf.add(conv('linear'), residual);
    return step.relu ? tf.relu(sum) : sum;
  }

  /** One input, of the shape the model declares (batch aside). */
  private takes(x: tf.Tensor): boolean {
    if (this.plan.inputs.length !== 1) return false;
    const declared = this.model.inputs[0]!.shape;
    return x.rank === declared.length && declared.every((size, i) => i === 0 || size == null || size === x.shape[i]);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const { kernel, bias } of this.folded.values()) tf.dispose(bias ? [kernel, bias] : [kernel]);
    this.folded.clear();
  }
}

/** Runs `fn` with an inference model of `model`, disposed afterwards whatever happens. */
export function withInferenceModel<T>(model: LayersModel, fn: (inference: InferenceModel) => T): T {
  const inference = new InferenceModel(model);
  try {
    return fn(inference);
  } finally {
    inference.dispose();
  }
}
