import { add, engine, ones, Tensor } from '@tensorflow/tfjs-core';

/** One kernel call on tfjs-core's gradient tape. */
interface TapeNode {
  kernelName: string;
  inputs: Record<string, Tensor>;
  outputs: Tensor[];
  saved?: Tensor[];
  gradient?: (dys: (Tensor | null)[]) => Record<string, () => Tensor>;
}

type Gradients = (f: () => Tensor, xs: Tensor[], dy?: Tensor, allowNoGradients?: boolean) => { value: Tensor; grads: (Tensor | undefined)[] };

/** The parts of tfjs-core's Engine that taking gradients goes through. */
interface EngineInternals {
  gradients: Gradients;
  tidy<T>(nameOrFn: string | (() => T), fn?: () => T): T;
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
  state: { gradientDepth: number; activeTape: TapeNode[] | null };
  constructor: { nextTensorId?: number };
}

let original: Gradients | undefined;

/**
 * tfjs-core's backward pass keeps every kernel's saved tensors and every intermediate gradient until
 * the last gradient is made, where autograd frees each once its kernel's gradient has run: a
 * ResNet's step holds its activations' size twice over at the end. This backward pass walks the
 * same kernels in the same order, with the same additions in the same order (so the same numbers to
 * the bit), and frees a kernel's saved tensors and its outputs' gradients as soon as its gradient
 * has run. Gradients taken inside another gradient's function (higher order) keep tfjs's own pass,
 * since the outer pass reads what they record. Idempotent; `restoreBackwardPass` undoes it.
 */
export function freeBackwardPassEarly(): void {
  const e = engine() as unknown as EngineInternals;
  if (original || typeof e.gradients !== 'function' || typeof e.scopedRun !== 'function' || typeof e.constructor.nextTensorId !== 'number') return;
  original = e.gradients;
  const tfjs = original;
  e.gradients = function (this: EngineInternals, f, xs, dy, allowNoGradients = false) {
    if (this.state.gradientDepth > 0) return tfjs.call(this, f, xs, dy, allowNoGradients);
    if (xs.length === 0) throw new Error('gradients() received an empty list of xs.');
    if (dy != null && dy.dtype !== 'float32') throw new Error(`dy must have 'float32' dtype, but has '${dy.dtype}'`);
    const y = this.scopedRun(
      () => this.startTape(),
      () => this.endTape(),
      () => this.tidy('forward', f),
    );
    if (!(y instanceof Tensor)) throw new Error('The result y returned by f() must be a tensor.');
    const tape = this.state.activeTape ?? [];
    const path = pathFromXsToY(tape, xs, y);
    if (!allowNoGradients && path.length === 0) {
      throw new Error('Cannot compute gradient of y=f(x) with respect to x. Make sure that the f you passed encloses all operations that lead from x to y.');
    }
    return this.tidy('backward', () => {
      const grads = new GradientMap(this.constructor.nextTensorId as number);
      grads.set(y.id, dy ?? ones(y.shape));
      for (const { node, inputNames } of path) backpropagate(this, node, inputNames, grads);
      const result = xs.map((x) => grads.get(x.id));
      for (const node of tape) for (const tensor of node.saved ?? []) tensor.dispose();
      this.state.activeTape = null;
      return { value: y, grads: result };
    });
  };
}

/** Puts tfjs-core's own backward pass back. */
export function restoreBackwardPass(): void {
  if (!original) return;
  (engine() as unknown as EngineInternals).gradients = original;
  original = undefined;
}

/**
 * The tape's kernels on a path from one of `xs` to `y`, last first (the order the backward pass
 * takes them), each with the names of its inputs that depend on `xs`, in the inputs' order.
 */
function pathFromXsToY(tape: TapeNode[], xs: Tensor[], y: Tensor): { node: TapeNode; inputNames: string[] }[] {
  const fromXs = new Set(xs.map((x) => x.id));
  const reached: { node: TapeNode; inputNames: string[] }[] = [];
  for (const node of tape) {
    const inputNames = Object.keys(node.inputs).filter((name) => fromXs.has(node.inputs[name].id));
    if (inputNames.length === 0) continue;
    for (const output of node.outputs) fromXs.add(output.id);
    reached.push({ node, inputNames });
  }
  const toY = new Set([y.id]);
  const path: { node: TapeNode; inputNames: string[] }[] = [];
  for (let i = reached.length - 1; i >= 0; i--) {
    const { node } = reached[i];
    if (!node.outputs.some((output) => toY.has(output.id))) continue;
    for (const input of Object.values(node.inputs)) toY.add(input.id);
    path.push(reached[i]);
  }
  return path;
}

/** One kernel's gradient: its inputs' gradients added in, then what only it needed freed. */
function backpropagate(e: EngineInternals, node: TapeNode, inputNames: string[], grads: GradientMap): void {
  if (!node.gradient) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
  const inputGradients = node.gradient(node.outputs.map((output) => grads.get(output.id) ?? null));
  for (const name of inputNames) {
    if (!(name in inputGradients)) {
      throw new Error(`Cannot backprop through input ${name}. Available gradients found: ${Object.keys(inputGradients)}.`);
    }
    const dx = e.tidy(() => inputGradients[name]());
    const x = node.inputs[name];
    if (dx.dtype !== 'float32') {
      throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input ${name} must have 'float32' dtype, but has '${dx.dtype}'`);
    }
    if (dx.shape.length !== x.shape.length || dx.shape.some((d, i) => d !== x.shape[i])) {
      throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`);
    }
    const sum = grads.get(x.id);
    grads.set(x.id, sum ? add(sum, dx) : dx);
    if (sum) grads.free(sum);
  }
  // Every kernel that read these outputs came later on the tape, so their gradients are complete
  // and read by no one else; the saved tensors are this kernel's own.
  for (const output of node.outputs) grads.delete(output.id);
  for (const tensor of node.saved ?? []) if (!grads.holds(tensor)) tensor.dispose();
}

/**
 * Gradients by tensor id, freeing a tensor once no entry holds it (a gradient function may hand back
 * its own dy, or one tensor for two inputs), and only tensors this backward pass made.
 */
class GradientMap {
  private readonly byId = new Map<number, Tensor>();
  private readonly holders = new Map<Tensor, number>();

  /** @param firstId the id of the first tensor the backward pass makes */
  constructor(private readonly firstId: number) {}

  get(id: number): Tensor | undefined {
    return this.byId.get(id);
  }

  set(id: number, tensor: Tensor): void {
    const previous = this.byId.get(id);
    this.byId.set(id, tensor);
    this.holders.set(tensor, (this.holders.get(tensor) ?? 0) + 1);
    if (previous) this.release(previous);
  }

  delete(id: number): void {
    const tensor = this.byId.get(id);
    if (!tensor) return;
    this.byId.delete(id);
    this.release(tensor);
    this.free(tensor);
  }

  /** Whether an entry holds `tensor`. */
  holds(tensor: Tensor): boolean {
    return this.holders.has(tensor);
  }

  /** Frees `tensor` unless an entry holds it or it was made before the backward pass. */
  free(tensor: Tensor): void {
    if (!this.holders.has(tensor) && !tensor.kept && tensor.id >= this.firstId) tensor.dispose();
  }

  private release(tensor: Tensor): void {
    const count = (this.holders.get(tensor) ?? 0) - 1;
    if (count > 0) this.holders.set(tensor, count);
    else this.holders.delete(tensor);
  }
}
