import { DateTime, IANAZone } from 'luxon';
import type { LocalDate, TeamSettings } from '../model/types';

const QUARTER_HOUR_MS = 900_000;
const DAY_MS = 86_400_000;

/**
 * The team's calendar: days, weeks and working time in the team's own zone, whatever zone the machine is in.
 * Sprint days cross daylight-saving changes; luxon's IANA zone data does the zone arithmetic.
 *
 * Metrics ask the same few hundred days over and over (every item's done date, every impediment's working
 * hours), so zone offsets are cached per UTC day (per quarter hour on the days a transition falls in: offsets
 * change only on quarter-hour boundaries), and
 * each local date's midnight and working window once. Calendar arithmetic on dates is done on "YYYY-MM-DD"
 * strings in UTC, where days have no zone.
 */
export class TeamCalendar {
  private static readonly shared = new Map<string, TeamCalendar>();

  /**
   * The calendar of these settings, shared between computations: its caches (offsets, midnights, working
   * windows) are pure functions of the settings, so every snapshot of the same team reuses them. A few
   * dozen calendars at most are kept.
   */
  static of(settings: Pick<TeamSettings, 'timeZone' | 'workingDays' | 'workingHours' | 'holidays'>): TeamCalendar {
    const key = JSON.stringify([settings.timeZone, settings.workingDays, settings.workingHours, settings.holidays]);
    let cal = TeamCalendar.shared.get(key);
    if (!cal) {
      if (TeamCalendar.shared.size >= 64) TeamCalendar.shared.delete(TeamCalendar.shared.keys().next().value!);
      cal = new TeamCalendar(settings);
      TeamCalendar.shared.set(key, cal);
    }
    return cal;
  }

  private readonly workingDays: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly startMinutes: number;
  private readonly endMinutes: number;
  private readonly ianaZone: IANAZone;
  private readonly offsets = new Map<number, number>();
  /** Offset per UTC day, or NaN for a day with a transition in it (then per quarter hour). */
  private readonly dayOffsets = new Map<number, number>();
  private readonly midnights = new Map<LocalDate, number>();
  private readonly windows = new Map<LocalDate, readonly [number, number] | null>();

  constructor(readonly settings: Pick<TeamSettings, 'timeZone' | 'workingDays' | 'workingHours' | 'holidays'>) {
    this.workingDays = new Set(settings.workingDays);
    this.holidays = new Set(settings.holidays);
    this.startMinutes = minutesOf(settings.workingHours.start);
    this.endMinutes = minutesOf(settings.workingHours.end);
    this.ianaZone = IANAZone.create(settings.timeZone);
  }

  get zone(): string {
    return this.settings.timeZone;
  }

  /** The local date ("2024-03-31") of an instant in the team's zone. */
  localDate(ms: number): LocalDate {
    return utcDate(ms + this.offsetMinutes(ms) * 60_000);
  }

  /** Epoch ms of the start of a local date (midnight, or the first instant of the day across a DST gap). */
  startOfDate(date: LocalDate): number {
    let t = this.midnights.get(date);
    if (t === undefined) {
      t = this.wallClock(date, 0) ?? DateTime.fromISO(date, { zone: this.zone }).startOf('day').toMillis();
      this.midnights.set(date, t);
    }
    return t;
  }

  /** Epoch ms of the last millisecond of a local date. */
  endOfDate(date: LocalDate): number {
    return this.startOfDate(addDays(date, 1)) - 1;
  }

  /** The local date `days` after `date`. */
  addDays(date: LocalDate, days: number): LocalDate {
    return addDays(date, days);
  }

  /** Whole calendar days from `a` to `b` (negative when b is earlier). */
  daysBetween(a: LocalDate, b: LocalDate): number {
    return Math.round((utcMidnight(b) - utcMidnight(a)) / DAY_MS);
  }

  /** Local dates from `from` to `to`, both included. */
  datesBetween(from: LocalDate, to: LocalDate): LocalDate[] {
    const out: LocalDate[] = [];
    for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
    return out;
  }

  /** Monday of the ISO week holding the instant, as a local date: the key of a "per week" bucket. */
  weekOf(ms: number): LocalDate {
    const date = this.localDate(ms);
    return addDays(date, 1 - isoWeekday(date));
  }

  isWorkingDate(date: LocalDate): boolean {
    return this.workingDays.has(isoWeekday(date)) && !this.holidays.has(date);
  }

  /**
   * Working milliseconds between two instants: the overlap with the team's working hours on its working
   * days, holidays excluded, in its zone. A flag raised Friday 16:00 and cleared Monday 10:00 in a
   * 09:00-17:00 Monday-to-Friday team is 2 working hours (and 66 calendar hours).
   */
  workingMillisBetween(fromMs: number, toMs: number): number {
    if (!(toMs > fromMs)) return 0;
    let total = 0;
    const last = this.localDate(toMs);
    for (let d = this.localDate(fromMs); d <= last; d = addDays(d, 1)) {
      const w = this.window(d);
      if (!w) continue;
      const a = Math.max(w[0], fromMs);
      const b = Math.min(w[1], toMs);
      if (b > a) total += b - a;
    }
    return total;
  }

  /**
   * The instant reached after `ms` working milliseconds from `fromMs`: the inverse of
   * {@link workingMillisBetween}. Gives up (Infinity) after ten years of days without enough working time.
   */
  addWorkingMillis(fromMs: number, ms: number): number {
    let left = ms;
    let d = this.localDate(fromMs);
    for (let guard = 0; guard < 3660; guard++, d = addDays(d, 1)) {
      const w = this.window(d);
      if (!w) continue;
      const open = Math.max(w[0], fromMs);
      if (w[1] > open) {
        if (left <= w[1] - open) return open + left;
        left -= w[1] - open;
      }
    }
    return Infinity;
  }

  /** [open, close] of a working date in epoch ms; null on non-working days. */
  private window(date: LocalDate): readonly [number, number] | null {
    let w = this.windows.get(date);
    if (w === undefined) {
      if (!this.isWorkingDate(date)) {
        w = null;
      } else {
        // Wall-clock times: set() keeps them across a DST change; adding minutes to midnight would not.
        const day = DateTime.fromISO(date, { zone: this.zone });
        const at = (m: number) => this.wallClock(date, m) ?? day.set({ hour: Math.floor(m / 60), minute: m % 60 }).toMillis();
        w = [at(this.startMinutes), at(this.endMinutes)];
      }
      this.windows.set(date, w);
    }
    return w;
  }

  /**
   * Epoch ms of a local wall-clock time, straight from the cached offsets when the offset is the same on both
   * sides of the answer; undefined near a transition (a time that does not exist, or exists twice), where
   * luxon decides.
   */
  private wallClock(date: LocalDate, minutes: number): number | undefined {
    const local = utcMidnight(date) + minutes * 60_000;
    const first = local - this.offsetMinutes(local) * 60_000;
    const off = this.offsetMinutes(first);
    const t = local - off * 60_000;
    return this.offsetMinutes(t) === off && off === this.offsetMinutes(local - off * 60_000 - 1) ? t : undefined;
  }

  private offsetMinutes(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    let whole = this.dayOffsets.get(day);
    if (whole === undefined) {
      const a = this.ianaZone.offset(day * DAY_MS);
      const b = this.ianaZone.offset((day + 1) * DAY_MS - 1);
      whole = a === b ? a : NaN;
      this.dayOffsets.set(day, whole);
    }
    if (!Number.isNaN(whole)) return whole;
    const bucket = Math.floor(ms / QUARTER_HOUR_MS);
    let off = this.offsets.get(bucket);
    if (off === undefined) {
      off = this.ianaZone.offset(bucket * QUARTER_HOUR_MS);
      this.offsets.set(bucket, off);
    }
    return off;
  }
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}

function utcMidnight(date: LocalDate): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
}

function utcDate(ms: number): LocalDate {
  return new Date(ms).toISOString().slice(0, 10);
}

function addDays(date: LocalDate, days: number): LocalDate {
  return utcDate(utcMidnight(date) + days * DAY_MS);
}

/** 1 = Monday ... 7 = Sunday. */
function isoWeekday(date: LocalDate): number {
  return new Date(utcMidnight(date)).getUTCDay() || 7;
}
