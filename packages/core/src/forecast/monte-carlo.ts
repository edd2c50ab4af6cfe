import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface MonteCarloInput {
  /** What past periods delivered (points or items per sprint, or per week). */
  readonly samples: readonly number[];
  /** Work left to deliver, in the same unit. */
  readonly remaining: number;
  /** Number of simulated futures (default 10 000). */
  readonly trials?: number;
  /** Seed of the random source: same seed, same forecast. */
  readonly seed: number;
  /** A trial that has not finished after this many periods counts as "not within the horizon" (default 520). */
  readonly maxPeriods?: number;
}

export interface MonteCarloForecast {
  readonly trials: number;
  /** Periods needed at 50 / 85 / 95 % confidence (nearest rank: at least that share of trials finished). */
  readonly p50: number | null;
  readonly p85: number | null;
  readonly p95: number | null;
  /** Trials that did not finish within maxPeriods. */
  readonly unfinished: number;
  /** Share of trials finished within `periods` periods. */
  probabilityWithin(periods: number): number;
}

/**
 * Monte Carlo forecast of how many periods the remaining work takes: each trial draws past periods' output
 * at random (with replacement) until the remaining work is covered, and records how many draws it took.
 * Periods are whole: a sprint is either needed or not. Seeded (xoroshiro128+ from pure-rand), never the
 * global random source, so a forecast can be reproduced and tested.
 *
 * @example monteCarlo({ samples: [5], remaining: 12, seed: 1 }).p85 // 3: three periods of 5 cover 12
 */
export function monteCarlo(input: MonteCarloInput): MonteCarloForecast {
  const trials = input.trials ?? 10_000;
  const maxPeriods = input.maxPeriods ?? 520;
  const { samples, remaining } = input;
  if (!(Number.isInteger(trials) && trials > 0)) throw new RangeError('monteCarlo: trials must be a positive whole number, e.g. 10000');
  if (samples.length === 0) throw new RangeError('monteCarlo: needs at least one past period to sample from');
  const needed = new Int32Array(trials);
  let unfinished = 0;
  if (remaining > 0) {
    const rng = xoroshiro128plus(input.seed | 0);
    const last = samples.length - 1;
    for (let t = 0; t < trials; t++) {
      let done = 0;
      let k = 0;
      while (done < remaining && k < maxPeriods) {
        done += samples[uniformInt(rng, 0, last)]!;
        k++;
      }
      if (done < remaining) {
        unfinished++;
        needed[t] = maxPeriods + 1;
      } else {
        needed[t] = k;
      }
    }
  }
  needed.sort();
  const rank = (p: number): number | null => {
    const v = needed[Math.max(0, Math.ceil(p * trials) - 1)]!;
    return v > maxPeriods ? null : v;
  };
  return {
    trials,
    p50: rank(0.5),
    p85: rank(0.85),
    p95: rank(0.95),
    unfinished,
    probabilityWithin(periods: number): number {
      // needed is sorted: count trials with needed <= periods by binary search.
      let lo = 0;
      let hi = trials;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (needed[mid]! <= periods) lo = mid + 1;
        else hi = mid;
      }
      return lo / trials;
    },
  };
}
