/**
 * A small seeded PRNG for the demo data: sfc32 (Chris Doty-Humphrey's Small Fast Counting
 * generator, 128-bit state, passes PractRand) seeded through splitmix32. Same seed and stream, same
 * sequence, on every machine: the generator never touches Math.random.
 */

const TWO_POW_32 = 4_294_967_296;
const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
const ALNUM_CODES = Array.from(
  'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  (c) => c.charCodeAt(0),
);
const DASH = 45;
const FOUR = 52;
const ZERO = 48;

/*
 * Ids are built from character codes into one flat string: concatenating pieces would leave V8
 * rope strings (a node per piece) behind every id, which at a million rows costs more memory and
 * garbage-collection time than all the rest of the generator.
 */
const codeBuffers = new Map<number, number[]>();
const codeBuffer = (length: number): number[] => {
  let buffer = codeBuffers.get(length);
  if (!buffer) {
    buffer = new Array<number>(length).fill(0);
    codeBuffers.set(length, buffer);
  }
  return buffer;
};
export const fromCodes = (codes: number[]): string => String.fromCharCode.apply(null, codes);

/** splitmix32 step: a well-mixed 32-bit value from a 32-bit counter. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/** Cumulative weights, precomputed once for a hot `weighted` pick. */
export interface WeightTable<T> {
  readonly items: readonly T[];
  readonly cumulative: readonly number[];
  readonly total: number;
}

export function weightTable<T>(entries: readonly (readonly [T, number])[]): WeightTable<T> {
  let total = 0;
  const cumulative: number[] = [];
  for (const [, weight] of entries) {
    total += weight;
    cumulative.push(total);
  }
  return { items: entries.map(([item]) => item), cumulative, total };
}

export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` selects an independent sequence for the same seed (one per business). */
  constructor(seed: number, stream = 0) {
    let s = splitmix32((seed | 0) ^ Math.imul(stream + 1, 0x27d4eb2d));
    this.a = s;
    s = splitmix32(s ^ 0x1b873593);
    this.b = s;
    s = splitmix32(s ^ 0x5bd1e995);
    this.c = s;
    this.d = 1;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / TWO_POW_32;
  }

  /** Uniform in [min, max). */
  range(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** Uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    return min + Math.floor(this.float() * (max - min + 1));
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.float() * items.length)] as T;
  }

  weighted<T>(table: WeightTable<T>): T {
    const target = this.float() * table.total;
    const { cumulative } = table;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((cumulative[mid] as number) > target) high = mid;
      else low = mid + 1;
    }
    return table.items[low] as T;
  }

  /** Fisher–Yates on a copy. */
  shuffle<T>(items: readonly T[]): T[] {
    const copy = items.slice();
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(this.float() * (i + 1));
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy;
  }

  /** Knuth's method for small means, a rounded normal approximation above 30. */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    if (mean > 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.float();
    while (p > limit) {
      k++;
      p *= this.float();
    }
    return k;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    const u = 1 - this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A version-4-shaped UUID (version nibble 4, RFC 4122 variant) made of PRNG bits. */
  uuid(): string {
    const codes = codeBuffer(36);
    let k = 0;
    for (let word = 0; word < 4; word++) {
      let bits = this.next();
      for (let nibble = 0; nibble < 8; nibble++) {
        if (k === 8 || k === 13 || k === 18 || k === 23) codes[k++] = DASH;
        codes[k++] = HEX_CODES[bits >>> 28] as number;
        bits = (bits << 4) >>> 0;
      }
    }
    codes[14] = FOUR;
    codes[19] = HEX_CODES[8 + (this.next() & 3)] as number;
    return fromCodes(codes);
  }

  /** `length` random letters and digits, between an optional prefix and suffix. */
  alnum(length: number, prefix = '', suffix = ''): string {
    return this.randomText(ALNUM_CODES, length, prefix, suffix);
  }

  /** `length` random lowercase hex digits, between an optional prefix and suffix. */
  hex(length: number, prefix = '', suffix = ''): string {
    return this.randomText(HEX_CODES, length, prefix, suffix);
  }

  private randomText(alphabet: number[], length: number, prefix: string, suffix: string): string {
    const codes = codeBuffer(prefix.length + length + suffix.length);
    let k = 0;
    for (let i = 0; i < prefix.length; i++) codes[k++] = prefix.charCodeAt(i);
    for (let i = 0; i < length; i++) {
      codes[k++] = alphabet[this.next() % alphabet.length] as number;
    }
    for (let i = 0; i < suffix.length; i++) codes[k++] = suffix.charCodeAt(i);
    return fromCodes(codes);
  }

  digits(length: number): string {
    const codes = codeBuffer(length);
    for (let i = 0; i < length; i++) codes[i] = ZERO + (this.next() % 10);
    return fromCodes(codes);
  }
}
