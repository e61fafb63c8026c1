import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { BatchNormWeights } from './fold-batch-norm.js';

/** The parts of tfjs-layers' classes the plan reads (they are protected in the typings). */
type Layer = LayersModel['layers'][number];
type Node = Layer['inboundNodes'][number];
interface Read {
  read(): tf.Tensor;
}
interface ConvFields {
  rank: number;
  strides: number[];
  padding: 'valid' | 'same';
  dataFormat: string;
  dilationRate: number[];
  activation: { getClassName(): string };
  useBias: boolean;
  kernel: Read;
  bias?: Read;
}
interface BatchNormFields {
  axis: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
  gamma?: Read;
  beta?: Read;
  movingMean: Read;
  movingVariance: Read;
}

export type Padding = 'valid' | 'same' | [[number, number], [number, number], [number, number], [number, number]];

/**
 * A convolution with what surrounds it folded in: zero padding before it (as the convolution's own
 * padding), batch norm after it (into its filter and bias), a residual sum and a ReLU.
 */
export interface ConvStep {
  kind: 'conv';
  input: number;
  output: number;
  strides: [number, number];
  dilations: [number, number];
  padding: Padding;
  kernel: () => tf.Tensor4D;
  bias: (() => tf.Tensor1D) | undefined;
  batchNorm: (() => BatchNormWeights) | undefined;
  /** A tensor added to the convolution's output before the ReLU (a residual block's shortcut). */
  residual: number | undefined;
  relu: boolean;
}

/** Any other layer, called as the model calls it (inference mode). */
export interface LayerStep {
  kind: 'layer';
  layer: Layer;
  inputs: number[];
  outputs: number[];
  callArgs: Record<string, unknown>;
}

export type Step = ConvStep | LayerStep;

export interface InferencePlan {
  inputs: number[];
  outputs: number[];
  steps: Step[];
}

const className = (layer: Layer): string => layer.getClassName();

function isRelu(layer: Layer): boolean {
  if (className(layer) === 'ReLU') return (layer as unknown as { maxValue?: number | null }).maxValue == null;
  if (className(layer) === 'Activation') {
    return (layer as unknown as { activation: { getClassName(): string } }).activation.getClassName() === 'relu';
  }
  return false;
}

/** A channels-last Conv2D whose activation, if any, is a ReLU (one the fused convolution applies). */
function isFoldableConv(layer: Layer): boolean {
  if (className(layer) !== 'Conv2D') return false;
  const conv = layer as unknown as ConvFields;
  const activation = conv.activation.getClassName();
  return conv.rank === 2 && conv.dataFormat === 'channelsLast' && (activation === 'linear' || activation === 'relu');
}

function isChannelsLastBatchNorm(layer: Layer): boolean {
  if (className(layer) !== 'BatchNormalization') return false;
  const axis = (layer as unknown as BatchNormFields).axis;
  return axis === -1 || axis === 3;
}

function batchNormWeights(layer: Layer): () => BatchNormWeights {
  const bn = layer as unknown as BatchNormFields;
  return () => ({
    epsilon: bn.epsilon,
    gamma: bn.scale ? bn.gamma?.read() : undefined,
    beta: bn.center ? bn.beta?.read() : undefined,
    movingMean: bn.movingMean.read(),
    movingVariance: bn.movingVariance.read(),
  });
}

/** The model's nodes in execution order (as tfjs-layers runs them: deepest first). */
function nodesInOrder(model: LayersModel): Node[] {
  return Object.keys(model.nodesByDepth)
    .map(Number)
    .sort((a, b) => b - a)
    .flatMap((depth) => model.nodesByDepth[depth] ?? []);
}

interface Chain {
  /** The node whose input the chain reads (the padding, or the convolution). */
  first: Node;
  conv: Node;
  /** The node whose output the chain writes. */
  last: Node;
  batchNorm: Node | undefined;
  residual: number | undefined;
  relu: boolean;
}

/**
 * The steps that compute `model`'s outputs in inference mode, with each chain of zero padding →
 * Conv2D → BatchNormalization → Add (a residual) → ReLU — or any part of it that has the
 * convolution — as one convolution step. A link is made only where the tensor between two layers
 * feeds nothing else and is not an output of the model. Weights are read when the plan runs.
 */
export function inferencePlan(model: LayersModel): InferencePlan {
  const ids = (tensors: SymbolicTensor[]): number[] => tensors.map((t) => t.id);
  const inputs = new Set(ids(model.inputs));
  const nodes = nodesInOrder(model).filter((node) => !node.outputTensors.every((t) => inputs.has(t.id)));
  const readers = new Map<number, number>();
  const readerOf = new Map<number, Node>();
  for (const node of nodes) {
    for (const t of node.inputTensors) {
      readers.set(t.id, (readers.get(t.id) ?? 0) + 1);
      readerOf.set(t.id, node);
    }
  }
  for (const t of model.outputs) readers.set(t.id, (readers.get(t.id) ?? 0) + 1);
  /** The one node that reads `node`'s one output, where nothing else reads it. */
  const next = (node: Node): Node | undefined => {
    if (node.outputTensors.length !== 1) return undefined;
    const id = node.outputTensors[0]!.id;
    return readers.get(id) === 1 ? readerOf.get(id) : undefined;
  };
  const chainOf = new Map<Node, Chain>();
  /** The next node, where it takes one input and no other chain has it. */
  const single = (node: Node | undefined): Node | undefined => (node && node.inputTensors.length === 1 && !chainOf.has(node) ? node : undefined);

  for (const node of nodes) {
    if (chainOf.has(node)) continue;
    const layer = node.outboundLayer;
    let conv: Node | undefined;
    if (className(layer) === 'ZeroPadding2D' && (layer as unknown as { dataFormat: string }).dataFormat === 'channelsLast') {
      const candidate = single(next(node));
      if (candidate && isFoldableConv(candidate.outboundLayer) && (candidate.outboundLayer as unknown as ConvFields).padding === 'valid') conv = candidate;
    } else if (isFoldableConv(layer) && node.inputTensors.length === 1) {
      conv = node;
    }
    if (!conv) continue;
    const chain: Chain = { first: node, conv, last: conv, batchNorm: undefined, residual: undefined, relu: false };
    if ((conv.outboundLayer as unknown as ConvFields).activation.getClassName() === 'relu') {
      chain.relu = true;
    } else {
      const bn = single(next(chain.last));
      if (bn && isChannelsLastBatchNorm(bn.outboundLayer)) chain.batchNorm = chain.last = bn;
      const add = next(chain.last);
      if (add && !chainOf.has(add) && className(add.outboundLayer) === 'Add' && add.inputTensors.length === 2) {
        const mine = chain.last.outputTensors[0]!.id;
        const other = add.inputTensors.find((t) => t.id !== mine);
        if (other) {
          chain.residual = other.id;
          chain.last = add;
        }
      }
      const relu = single(next(chain.last));
      if (relu && isRelu(relu.outboundLayer)) {
        chain.relu = true;
        chain.last = relu;
      }
    }
    chainOf.set(chain.first, chain);
    for (let n: Node | undefined = chain.conv; n; n = n === chain.last ? undefined : next(n)) chainOf.set(n, chain);
  }

  const steps: Step[] = [];
  for (const node of nodes) {
    const chain = chainOf.get(node);
    if (!chain) {
      steps.push({ kind: 'layer', layer: node.outboundLayer, inputs: ids(node.inputTensors), outputs: ids(node.outputTensors), callArgs: { ...(node.callArgs ?? {}) } });
    } else if (node === chain.last) {
      steps.push(convStep(chain));
    }
  }
  return { inputs: ids(model.inputs), outputs: ids(model.outputs), steps };
}

function convStep(chain: Chain): ConvStep {
  const conv = chain.conv.outboundLayer as unknown as ConvFields;
  let padding: Padding = conv.padding;
  if (chain.first !== chain.conv) {
    const [[top, bottom], [left, right]] = (chain.first.outboundLayer as unknown as { padding: [[number, number], [number, number]] }).padding;
    padding = [[0, 0], [top, bottom], [left, right], [0, 0]];
  }
  return {
    kind: 'conv',
    input: chain.first.inputTensors[0]!.id,
    output: chain.last.outputTensors[0]!.id,
    strides: [conv.strides[0]!, conv.strides[1] ?? conv.strides[0]!],
    dilations: [conv.dilationRate[0]!, conv.dilationRate[1] ?? conv.dilationRate[0]!],
    padding,
    kernel: () => conv.kernel.read() as tf.Tensor4D,
    bias: conv.useBias && conv.bias ? () => conv.bias!.read() as tf.Tensor1D : undefined,
    batchNorm: chain.batchNorm ? batchNormWeights(chain.batchNorm.outboundLayer) : undefined,
    residual: chain.residual,
    relu: chain.relu,
  };
}
