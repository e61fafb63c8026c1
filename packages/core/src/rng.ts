/**
 * A seeded, splittable random number generator.
 *
 * Each named child stream (`rng.child('augment')`) has a seed derived from its parent's seed and its
 * name only, so drawing more numbers in one stream never shifts another. The generator is sfc32
 * (a small, fast 128-bit-state counter generator); its state can be saved and restored so that a
 * resumed run continues the same sequence.
 */
export type RngState = readonly [number, number, number, number];

/** 32-bit FNV-1a then a murmur3 finaliser: a well-mixed hash of a string. */
function hashString(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** @param seed an integer or string seed; the same seed gives the same stream. */
  constructor(readonly seed: number | string) {
    if (typeof seed === 'number' && !Number.isFinite(seed)) throw new RangeError(`Rng: a seed is a finite number or a string, got ${seed}`);
    const key = String(seed);
    this.a = hashString(key, 0x9e3779b9);
    this.b = hashString(key, 0x243f6a88);
    this.c = hashString(key, 0xb7e15162);
    this.d = 1;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** A child stream whose sequence depends only on this stream's seed and `name`. */
  child(name: string): Rng {
    return new Rng(`${String(this.seed)}/${name}`);
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [low, high). */
  uniform(low = 0, high = 1): number {
    return low + (high - low) * this.next();
  }

  /** Uniform integer in [low, high). */
  int(low: number, high: number): number {
    if (!(high > low)) throw new RangeError(`Rng.int(${low}, ${high}): the range holds no whole number; high must be above low`);
    return low + Math.floor(this.next() * (high - low));
  }

  /** Standard normal draw (Box–Muller). */
  normal(mean = 0, std = 1): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return mean + std * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** True with probability p. */
  bernoulli(p: number): boolean {
    return this.next() < p;
  }

  /** An integer seed for APIs that take one (tfjs ops and initializers). */
  seedInt(): number {
    return this.nextUint32() & 0x7fffffff;
  }

  /** Fisher–Yates shuffle, in place; returns the array. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(0, i + 1);
      const t = out[i] as number;
      out[i] = out[j] as number;
      out[j] = t;
    }
    return out;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('Rng.pick: cannot pick from an empty list');
    return items[this.int(0, items.length)] as T;
  }

  getState(): RngState {
    return [this.a, this.b, this.c, this.d];
  }

  setState(state: RngState): void {
    [this.a, this.b, this.c, this.d] = state;
  }
}

/** A stateless seed for step `step` of a stream seeded `seed`: same inputs, same output. */
export function stepSeed(seed: number, step: number): number {
  return mix32(mix32(seed >>> 0) ^ Math.imul(step + 1, 0x9e3779b1)) & 0x7fffffff;
}
