import { DateTime } from 'luxon';
import type { LocalDate, TeamSettings } from '../model/types';

/**
 * The team's calendar: days, weeks and working time in the team's own zone, whatever zone the machine is in.
 * Sprint days cross daylight-saving changes; luxon does the zone arithmetic.
 */
export class TeamCalendar {
  private readonly workingDays: ReadonlySet<number>;
  private readonly holidays: ReadonlySet<string>;
  private readonly startMinutes: number;
  private readonly endMinutes: number;

  constructor(readonly settings: Pick<TeamSettings, 'timeZone' | 'workingDays' | 'workingHours' | 'holidays'>) {
    this.workingDays = new Set(settings.workingDays);
    this.holidays = new Set(settings.holidays);
    this.startMinutes = minutesOf(settings.workingHours.start);
    this.endMinutes = minutesOf(settings.workingHours.end);
  }

  get zone(): string {
    return this.settings.timeZone;
  }

  /** The local date ("2024-03-31") of an instant in the team's zone. */
  localDate(ms: number): LocalDate {
    return this.dt(ms).toISODate()!;
  }

  /** Epoch ms of the start of a local date (midnight, or the first instant of the day across a DST gap). */
  startOfDate(date: LocalDate): number {
    return DateTime.fromISO(date, { zone: this.zone }).startOf('day').toMillis();
  }

  /** Epoch ms of the last millisecond of a local date. */
  endOfDate(date: LocalDate): number {
    return DateTime.fromISO(date, { zone: this.zone }).endOf('day').toMillis();
  }

  /** The local date `days` after `date`. */
  addDays(date: LocalDate, days: number): LocalDate {
    return DateTime.fromISO(date, { zone: this.zone }).plus({ days }).toISODate()!;
  }

  /** Whole calendar days from `a` to `b` (negative when b is earlier). */
  daysBetween(a: LocalDate, b: LocalDate): number {
    return Math.round(DateTime.fromISO(b, { zone: 'UTC' }).diff(DateTime.fromISO(a, { zone: 'UTC' }), 'days').days);
  }

  /** Local dates from `from` to `to`, both included. */
  datesBetween(from: LocalDate, to: LocalDate): LocalDate[] {
    const out: LocalDate[] = [];
    let d = DateTime.fromISO(from, { zone: this.zone });
    const last = DateTime.fromISO(to, { zone: this.zone });
    while (d <= last) {
      out.push(d.toISODate()!);
      d = d.plus({ days: 1 });
    }
    return out;
  }

  /** Monday of the ISO week holding the instant, as a local date: the key of a "per week" bucket. */
  weekOf(ms: number): LocalDate {
    return this.dt(ms).startOf('week').toISODate()!;
  }

  isWorkingDate(date: LocalDate): boolean {
    return this.workingDays.has(DateTime.fromISO(date, { zone: this.zone }).weekday) && !this.holidays.has(date);
  }

  /**
   * Working milliseconds between two instants: the overlap with the team's working hours on its working
   * days, holidays excluded, in its zone. A flag raised Friday 16:00 and cleared Monday 10:00 in a
   * 09:00-17:00 Monday-to-Friday team is 2 working hours (and 66 calendar hours).
   */
  workingMillisBetween(fromMs: number, toMs: number): number {
    if (!(toMs > fromMs)) return 0;
    let total = 0;
    let day = this.dt(fromMs).startOf('day');
    const lastDay = this.dt(toMs).startOf('day');
    while (day <= lastDay) {
      const date = day.toISODate()!;
      if (this.workingDays.has(day.weekday) && !this.holidays.has(date)) {
        // set() keeps wall-clock time across a DST change; plus({ minutes }) would not.
        const open = atMinutes(day, this.startMinutes);
        const close = atMinutes(day, this.endMinutes);
        const a = Math.max(open, fromMs);
        const b = Math.min(close, toMs);
        if (b > a) total += b - a;
      }
      day = day.plus({ days: 1 });
    }
    return total;
  }

  /**
   * The instant reached after `ms` working milliseconds from `fromMs`: the inverse of
   * {@link workingMillisBetween}. Gives up after ten years of days without enough working time.
   */
  addWorkingMillis(fromMs: number, ms: number): number {
    let left = ms;
    let day = this.dt(fromMs).startOf('day');
    for (let guard = 0; guard < 3660; guard++) {
      const date = day.toISODate()!;
      if (this.workingDays.has(day.weekday) && !this.holidays.has(date)) {
        const open = Math.max(atMinutes(day, this.startMinutes), fromMs);
        const close = atMinutes(day, this.endMinutes);
        if (close > open) {
          if (left <= close - open) return open + left;
          left -= close - open;
        }
      }
      day = day.plus({ days: 1 });
    }
    return Infinity;
  }

  /** Working days strictly after date `from` up to and including `to`. */
  workingDaysBetween(from: LocalDate, to: LocalDate): number {
    let n = 0;
    for (const d of this.datesBetween(this.addDays(from, 1), to)) if (this.isWorkingDate(d)) n++;
    return n;
  }

  /** The local date that lies `n` working days after `from` (n >= 0; 0 gives `from`). */
  addWorkingDays(from: LocalDate, n: number): LocalDate {
    let d = from;
    let left = Math.ceil(n);
    let guard = 0;
    while (left > 0) {
      d = this.addDays(d, 1);
      if (this.isWorkingDate(d)) left--;
      if (++guard > 3660) break;
    }
    return d;
  }

  private dt(ms: number): DateTime {
    return DateTime.fromMillis(ms, { zone: this.zone });
  }
}

function atMinutes(day: DateTime, minutes: number): number {
  return day.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h! * 60 + m!;
}
