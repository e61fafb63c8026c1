import { broadcastTo, div, Mean, reshape, util, type GradConfig, type MeanAttrs, type NamedAttrMap, type Tensor } from '@tensorflow/tfjs-core';

/**
 * The gradient of Mean without tfjs's full-size `ones` tensor (filled in JavaScript and copied to
 * the backend at every step): dy / n broadcast to x's shape, the same numbers. BatchNorm's
 * batch statistics take two Means of every activation.
 */
export const meanGradConfig: GradConfig = {
  kernelName: Mean,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const axes = util.parseAxisParam((attrs as unknown as MeanAttrs).axis, x.shape);
    const expanded = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
    const reduceSize = axes.reduce((n, axis) => n * x.shape[axis]!, 1);
    return { x: () => broadcastTo(div(reshape(dy as Tensor, expanded), reduceSize), x.shape) };
  },
};
