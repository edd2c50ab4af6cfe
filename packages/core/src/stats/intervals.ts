import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { round } from '../result';

/** The normal quantile of a two-sided 95 % interval. */
const Z95 = 1.959963984540054;

/** A 95 % interval, rounded for display. */
export type Interval95 = readonly [low: number, high: number];

/**
 * Wilson score interval of a share: `k` successes of `n` (95 %). Unlike the normal approximation it stays inside
 * [0, 1] and is honest for small `n` and shares near 0 or 1.
 *
 * @example wilsonInterval(8, 10) // [0.49, 0.943]
 */
export function wilsonInterval(k: number, n: number): Interval95 {
  if (n <= 0) return [0, 1];
  const p = k / n;
  const z2 = Z95 * Z95;
  const centre = p + z2 / (2 * n);
  const spread = Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denominator = 1 + z2 / n;
  return [round(Math.max(0, (centre - spread) / denominator), 3), round(Math.min(1, (centre + spread) / denominator), 3)];
}

/**
 * Percentile bootstrap interval (95 %) of a statistic over a sample, with a seeded generator (xoroshiro128+): the
 * sample is redrawn with replacement `resamples` times and the 2.5th and 97.5th percentiles of the statistic are
 * the interval. Same seed, same interval.
 */
export function bootstrapInterval(sample: readonly number[], statistic: (xs: readonly number[]) => number, seed: number, resamples = 2_000): Interval95 {
  if (sample.length === 0) return [Number.NaN, Number.NaN];
  const rng = xoroshiro128plus(seed | 0);
  const stats = new Float64Array(resamples);
  const draw = new Array<number>(sample.length);
  const last = sample.length - 1;
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < sample.length; i++) draw[i] = sample[uniformInt(rng, 0, last)]!;
    stats[b] = statistic(draw);
  }
  stats.sort();
  const at = (q: number) => stats[Math.min(resamples - 1, Math.max(0, Math.ceil(q * resamples) - 1))]!;
  return [round(at(0.025), 1), round(at(0.975), 1)];
}

/** Whether two intervals share any value: a difference is called a change only when they do not. */
export function overlaps(a: Interval95, b: Interval95): boolean {
  return a[0] <= b[1] && b[0] <= a[1];
}
