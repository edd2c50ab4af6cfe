import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';

type Generator = ReturnType<typeof xoroshiro128plus>;

/**
 * The simulator's only source of chance: a seeded xoroshiro128+ stream (pure-rand), never `Math.random`.
 * The same seed therefore always yields the same team history, which is what lets tests compare a
 * simulated snapshot with its ground truth byte for byte across runs and machines.
 *
 * pure-rand v8 generators advance in place, so one `Random` is a single, ordered stream: the order of the
 * calls is part of the output. Independent concerns that must not shift each other take a {@link fork}.
 */
export class Random {
  private readonly gen: Generator;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    // xoroshiro128+ starts from a state built directly from the seed; the first outputs of neighbouring
    // seeds are correlated, so they are thrown away.
    this.gen = xoroshiro128plus(Math.trunc(seed) | 0);
    for (let i = 0; i < 16; i++) this.gen.next();
  }

  /** Integer in [min, max], both included. */
  int(min: number, max: number): number {
    if (max <= min) return min;
    return uniformInt(this.gen, min, max);
  }

  /** Float in [0, 1). */
  float(): number {
    return uniformFloat64(this.gen);
  }

  /** Float in [min, max). */
  between(min: number, max: number): number {
    return min + (max - min) * this.float();
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  /** One element; throws on an empty array because every caller is expected to check first. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[this.int(0, items.length - 1)] as T;
  }

  /** One element chosen by weight (weights need not sum to 1). */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of entries) total += w;
    let x = this.float() * total;
    for (const [value, w] of entries) {
      x -= w;
      if (x < 0) return value;
    }
    const last = entries[entries.length - 1];
    if (!last) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** Fisher-Yates, in place; returns the same array for chaining. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  /** Up to `k` distinct elements in random order. */
  sample<T>(items: readonly T[], k: number): T[] {
    return this.shuffle(items.slice()).slice(0, Math.max(0, k));
  }

  /** `n` sorted floats in [min, max): event times inside an interval. */
  sortedBetween(n: number, min: number, max: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push(this.between(min, max));
    return out.sort((a, b) => a - b);
  }

  /** A new independent stream derived from this one (consumes one draw here). */
  fork(): Random {
    return new Random(this.int(1, 0x7fffffff));
  }
}
