import type { Change, Timeline } from '../model/types';
import { parseInstant } from '../time/instant';

const NO_TIMES: readonly number[] = Object.freeze([]);

/**
 * A timeline compiled for point-in-time reads: times as epoch ms, read with a binary search.
 * The value before the first change is `initial` (the default at creation).
 */
export class TimelineIndex<T> {
  readonly times: readonly number[];
  readonly changes: Timeline<T>;

  constructor(
    changes: Timeline<T>,
    private readonly initial: T,
    /** Reads an instant: `parseInstant`, or one that knows some instants already (an item's creation). */
    parse: (at: string) => number = parseInstant,
  ) {
    this.changes = changes;
    this.times = changes.length === 0 ? NO_TIMES : changes.map((c) => parse(c.at));
  }

  /** The value in force at `t` (changes at exactly `t` included). */
  at(t: number): T {
    const i = this.indexAt(t);
    return i < 0 ? this.initial : this.changes[i]!.value;
  }

  /** Index of the last change at or before `t`, -1 when there is none. */
  indexAt(t: number): number {
    const times = this.times;
    let lo = 0;
    let hi = times.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! <= t) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /** Changes with from < at <= to, as `[time, change, previous value]`. */
  changesIn(from: number, to: number): { t: number; change: Change<T>; previous: T }[] {
    const out: { t: number; change: Change<T>; previous: T }[] = [];
    for (let i = this.indexAt(from) + 1; i < this.times.length && this.times[i]! <= to; i++) {
      out.push({ t: this.times[i]!, change: this.changes[i]!, previous: i > 0 ? this.changes[i - 1]!.value : this.initial });
    }
    return out;
  }
}

/** Half-open interval [from, to) in epoch ms; `to` is Infinity while it lasts. */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

export function contains(intervals: readonly Interval[], t: number): boolean {
  for (const iv of intervals) if (iv.from <= t && t < iv.to) return true;
  return false;
}

/** Intervals during which `predicate(value)` holds, from a timeline's changes. */
export function intervalsWhere<T>(tl: TimelineIndex<T>, predicate: (v: T) => boolean, createdMs: number, initial: T): Interval[] {
  const out: Interval[] = [];
  let openAt: number | undefined = predicate(initial) ? createdMs : undefined;
  tl.changes.forEach((c, i) => {
    const t = tl.times[i]!;
    const holds = predicate(c.value);
    if (holds && openAt === undefined) openAt = t;
    else if (!holds && openAt !== undefined) {
      if (t > openAt) out.push({ from: openAt, to: t });
      openAt = undefined;
    }
  });
  if (openAt !== undefined) out.push({ from: openAt, to: Infinity });
  return out;
}
