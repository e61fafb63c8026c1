import { broadcastTo, reshape, Sum, util, type GradConfig, type NamedAttrMap, type SumAttrs, type Tensor } from '@tensorflow/tfjs-core';

/** The gradient of Sum: dy broadcast to x's shape, without tfjs's full-size `ones` tensor. */
export const sumGradConfig: GradConfig = {
  kernelName: Sum,
  inputsToSave: ['x'],
  gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
    const [x] = saved as [Tensor];
    const axes = util.parseAxisParam((attrs as unknown as SumAttrs).axis, x.shape);
    const expanded = x.shape.map((size, axis) => (axes.includes(axis) ? 1 : size));
    return { x: () => broadcastTo(reshape(dy as Tensor, expanded), x.shape) };
  },
};
