import { max, median, min } from 'simple-statistics';

/** Median, min and max of repeated measurements (ms, bytes, or per-second rates). */
export interface Measured {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly runs: number;
}

export function measured(samples: readonly number[]): Measured {
  return { median: round(median([...samples])), min: round(min([...samples])), max: round(max([...samples])), runs: samples.length };
}

/** Runs `fn` `repeats` times (after one warm-up) and measures each run's wall time in ms. */
export async function timeIt(repeats: number, fn: () => unknown | Promise<unknown>, warmUp = true): Promise<Measured> {
  if (warmUp) await fn();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return measured(samples);
}

/**
 * How time grows with size between two measurements: log(t2 / t1) / log(n2 / n1). 1 is linear; n log n
 * between sizes n1 < n2 is 1 + log(log n2 / log n1) / log(n2 / n1), a little above 1.
 */
export function scalingExponent(n1: number, t1: number, n2: number, t2: number): number {
  return round(Math.log(t2 / t1) / Math.log(n2 / n1), 3);
}

/** The exponent n log n would show between two sizes: the budget for "no faster than n log n". */
export function nLogNExponent(n1: number, n2: number): number {
  return round(1 + Math.log(Math.log(n2) / Math.log(n1)) / Math.log(n2 / n1), 3);
}

export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
