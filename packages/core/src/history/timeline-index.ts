import type { Change, Timeline } from '../model/types';
import { parseInstant } from '../time/instant';

const NO_TIMES: readonly number[] = Object.freeze([]);

/** The instants (epoch ms, ascending) and the values of a timeline's changes, as a store of compiled items keeps them. */
export interface TimelineColumns<T> {
  readonly times: readonly number[];
  readonly values: readonly T[];
}

const NO_LIST: readonly string[] = Object.freeze([]);

/**
 * What a work item's timeline holds before its first change (status: its first status). One rule for the history
 * index and for a store that keeps timelines as columns (see {@link TimelineIndex}).
 */
export const TIMELINE_DEFAULTS = Object.freeze({ estimate: null, sprints: NO_LIST, releases: NO_LIST, flagged: false, labels: NO_LIST });

/**
 * A timeline compiled for point-in-time reads: times as epoch ms, read with a binary search.
 * The value before the first change is `initial` (the default at creation).
 *
 * Made from the changes, or from columns (the instants and the values, as a store of compiled items reads them) by
 * a subclass that makes a change (`at` as the tracker wrote it, `eventId`) only when something asks for it, such as
 * evidence: reading a large board then makes a few arrays per timeline instead of an object, a text and an event id
 * per change, and the store's timeline is the index itself.
 */
export class TimelineIndex<T> {
  readonly times: readonly number[];
  private readonly values: readonly T[] | undefined;
  private made: Timeline<T> | undefined;

  constructor(
    changes: Timeline<T> | TimelineColumns<T>,
    readonly initial: T,
    /** The changes' instants as epoch ms, when the caller has read them already (default: read here). */
    times?: readonly number[],
  ) {
    if (Array.isArray(changes)) {
      const list = changes as Timeline<T>;
      this.made = list;
      this.times = times ?? (list.length === 0 ? NO_TIMES : list.map((c) => parseInstant(c.at)));
    } else {
      const columns = changes as TimelineColumns<T>;
      this.values = columns.values;
      this.times = columns.times;
    }
  }

  /** The changes, as the model states them (made on first use when kept as columns). */
  get changes(): Timeline<T> {
    if (this.made === undefined) {
      const out = new Array<Change<T>>(this.times.length);
      for (let i = 0; i < out.length; i++) out[i] = this.makeChange(i);
      this.made = out;
    }
    return this.made;
  }

  /** Change `i` (of a timeline kept as columns, made alone unless all its changes were made already). */
  change(i: number): Change<T> {
    return this.made !== undefined ? this.made[i]! : this.makeChange(i);
  }

  /** Change `i` of a timeline kept as columns: what a store's subclass makes from what it keeps. */
  protected makeChange(i: number): Change<T> {
    throw new Error(`change ${i} of a timeline kept as columns: only a subclass that keeps the changes' texts can make it`);
  }

  /** The value of change `i` (without making the changes of a timeline kept as columns). */
  value(i: number): T {
    return this.values !== undefined ? this.values[i]! : this.made![i]!.value;
  }

  /** The value in force at `t` (changes at exactly `t` included). */
  at(t: number): T {
    const i = this.indexAt(t);
    return i < 0 ? this.initial : this.value(i);
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
      out.push({ t: this.times[i]!, change: this.change(i), previous: i > 0 ? this.value(i - 1) : this.initial });
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
  const times = tl.times;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    const holds = predicate(tl.value(i));
    if (holds && openAt === undefined) openAt = t;
    else if (!holds && openAt !== undefined) {
      if (t > openAt) out.push({ from: openAt, to: t });
      openAt = undefined;
    }
  }
  if (openAt !== undefined) out.push({ from: openAt, to: Infinity });
  return out;
}
