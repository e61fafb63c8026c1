import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addon } from '../addon.js';
import { defaultPrecision, hasBfloat16, nativePrecision, PRECISION_ENV, setNativePrecision } from '../precision.js';
import { cpuAndNative, expectSameBits, relativeError, runKernelOn, useNative, type Inputs } from '../test-support/compare.js';
import { seededInput } from '../test-support/conv-case.js';
import { convParams, CONV_BACKWARD_DATA, CONV_BACKWARD_WEIGHTS, CONV_FORWARD } from './conv-params.js';

/** Each value rounded to the nearest bfloat16 (ties to even), as oneDNN's reorder rounds it. */
function toBfloat16(values: Float32Array): Float32Array {
  const bits = new Uint32Array(Float32Array.from(values).buffer);
  for (let i = 0; i < bits.length; i++) bits[i] = ((bits[i]! + 0x7fff + ((bits[i]! >>> 16) & 1)) & 0xffff0000) >>> 0;
  return new Float32Array(bits.buffer);
}

const rounded = (inputs: Inputs, names: string[]): Inputs =>
  Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, names.includes(k) ? { ...v, values: toBfloat16(v.values as Float32Array) } : v]));

// The full-width ResNet-8's convolutions on a FixMatch batch: the stem, a block's, a strided one.
const shapes = [
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 16], strides: 1 },
  { x: [4, 28, 28, 16], filter: [3, 3, 16, 16], strides: 1 },
  { x: [4, 28, 28, 16], filter: [3, 3, 16, 32], strides: 2 },
  { x: [4, 7, 7, 64], filter: [3, 3, 64, 64], strides: 1 },
] as const;

type Shape = (typeof shapes)[number];
const infoOf = (s: Shape) => tf.backend_util.computeConv2DInfo([...s.x] as [number, number, number, number], [...s.filter] as [number, number, number, number], s.strides, 1, 'same');

const bfloat16Here = hasBfloat16(addon().info().isa);
const title = bfloat16Here
  ? 'bfloat16 convolutions: forward and input gradient as float32 arithmetic on the inputs rounded to bfloat16'
  : `bfloat16 convolutions (skipped: this CPU's instruction set, ${addon().info().isa}, has no bfloat16 arithmetic)`;

describe.skipIf(!bfloat16Here)(title, () => {
  beforeAll(async () => {
    await useNative();
    setNativePrecision('bfloat16');
  });
  afterAll(() => setNativePrecision('float32'));

  const filterGradients = shapes.map((s) => {
    const info = infoOf(s);
    const inputs = { x: seededInput([...s.x], 1), dy: seededInput(info.outShape, 3) };
    return { name: `x [${s.x}] filter [${s.filter}]`, inputs, attrs: { strides: s.strides, pad: 'same', dataFormat: 'NHWC', filterShape: [...s.filter] } };
  });

  interface Case {
    name: string;
    kernel: string;
    inputs: Inputs;
    /** The inputs the kernel reads rounded to bfloat16. */
    low: string[];
    attrs: Record<string, unknown>;
  }
  const cases = shapes.flatMap((s): Case[] => {
    const info = infoOf(s);
    const x = seededInput([...s.x], 1);
    const filter = seededInput([...s.filter], 2);
    const dy = seededInput(info.outShape, 3);
    const common = { strides: s.strides, pad: 'same', dataFormat: 'NHWC' };
    return [
      { name: `FusedConv2D (relu, bias) x [${s.x}] filter [${s.filter}]`, kernel: 'FusedConv2D', inputs: { x, filter, bias: seededInput([s.filter[3]], 4) }, low: ['x', 'filter'], attrs: { ...common, dilations: 1, activation: 'relu' } },
      { name: `Conv2DBackpropInput x [${s.x}] filter [${s.filter}]`, kernel: 'Conv2DBackpropInput', inputs: { dy, filter }, low: ['dy', 'filter'], attrs: { ...common, inputShape: [...s.x] } },
    ];
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
    const [exact] = await runKernelOn('cpu', c.kernel, c.inputs, c.attrs);
    const [ofRounded] = await runKernelOn('cpu', c.kernel, rounded(c.inputs, c.low), c.attrs);
    const [actual] = await runKernelOn('wasm', c.kernel, c.inputs, c.attrs);
    // The same numbers as float32 arithmetic on the rounded inputs, up to the order of the sums…
    expect(relativeError(actual!.values, ofRounded!.values)).toBeLessThan(1e-5);
    // …which is not float32 arithmetic on the inputs themselves: bfloat16 is in use.
    expect(relativeError(actual!.values, exact!.values)).toBeGreaterThan(1e-4);
    expect(relativeError(actual!.values, exact!.values)).toBeLessThan(1e-2);
    const [again] = await runKernelOn('wasm', c.kernel, c.inputs, c.attrs);
    expectSameBits(again!.values, actual!.values, `${c.kernel} run twice`);
  });

  it.each(filterGradients.map((c) => [c.name, c] as const))('keeps the filter gradient in float32: Conv2DBackpropFilter %s', async (_n, c) => {
    const [[expected], [actual]] = await cpuAndNative('Conv2DBackpropFilter', c.inputs, c.attrs);
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });

  it("runs the network's forward and input-gradient convolutions on bfloat16 JIT kernels, its filter gradients on float32 ones", () => {
    for (const s of shapes) {
      const info = infoOf(s);
      for (const kind of [CONV_FORWARD, CONV_BACKWARD_DATA]) expect(addon().convImplementation(convParams(info, { kind }))).toMatch(/avx512_core_bf16|amx/);
      expect(addon().convImplementation(convParams(info, { kind: CONV_BACKWARD_WEIGHTS }))).not.toMatch(/bf16|amx/);
    }
  });

  it('keeps depthwise convolutions in float32', async () => {
    const inputs = { x: seededInput([4, 14, 14, 8], 1), filter: seededInput([3, 3, 8, 1], 2) };
    const [[expected], [actual]] = await cpuAndNative('DepthwiseConv2dNative', inputs, { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NHWC' });
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });

  it('goes back to float32 numbers when the precision is set back', async () => {
    const c = cases[1]!;
    setNativePrecision('float32');
    try {
      const [[expected], [actual]] = await cpuAndNative(c.kernel, c.inputs, c.attrs);
      expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
      expect(nativePrecision()).toBe('float32');
    } finally {
      setNativePrecision('bfloat16');
    }
  });
});

describe('the precision setting', () => {
  it(`takes its default from ${PRECISION_ENV} and refuses a bad one with the fix`, () => {
    const before = process.env[PRECISION_ENV];
    try {
      delete process.env[PRECISION_ENV];
      expect(defaultPrecision()).toBe('float32');
      process.env[PRECISION_ENV] = 'bfloat16';
      expect(defaultPrecision()).toBe('bfloat16');
      process.env[PRECISION_ENV] = 'half';
      expect(() => defaultPrecision()).toThrow(`${PRECISION_ENV}=half is not a precision; set it to float32 or bfloat16, or unset it.`);
      expect(() => setNativePrecision('half' as 'float32')).toThrow('precision must be float32 or bfloat16, got half');
    } finally {
      if (before === undefined) delete process.env[PRECISION_ENV];
      else process.env[PRECISION_ENV] = before;
    }
  });
});
