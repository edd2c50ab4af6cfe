import type { Change } from '@agile-kpi/core';

/**
 * A deliberately naive timeline reader for the testkit's own tests: a linear scan, sharing no code with the
 * core's indexed reader, so that a test comparing the two can catch a bug in either.
 */
export const ms = (iso: string): number => Date.parse(iso);

/** Value of a timeline at `t` (changes at `t` included), or `initial` before the first change. */
export function at<T>(timeline: readonly Change<T>[], t: number, initial: T): T {
  let value = initial;
  for (const change of timeline) {
    if (ms(change.at) > t) break;
    value = change.value;
  }
  return value;
}
