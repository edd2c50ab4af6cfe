import { DateTime } from 'luxon';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/**
 * The team's wall clock: local dates, working time and ISO formatting in one IANA zone.
 *
 * The simulator works in epoch milliseconds and in *working minutes* (minutes inside working hours on working
 * days, counted from the first day of the table), because "an item moves after two working days" is how a team
 * behaves and it is what keeps events inside office hours, weekends and DST changes included.
 *
 * luxon is the authority on offsets, but calling it for each of a million timeline entries would dominate the
 * run time. So offsets are computed once per local day (at noon) and once per UTC day (for formatting); only
 * the rare UTC day that contains an offset change falls back to luxon for each instant.
 */
export class TeamClock {
  readonly zone: string;
  /** Minutes after local midnight at which the working day starts and ends. */
  readonly dayStartMinute: number;
  readonly dayEndMinute: number;
  private readonly workMinutesPerDay: number;
  private readonly utcMidnight: Float64Array; // Date.UTC of each local date
  private readonly noonOffset: Float64Array; // offset in minutes at local noon
  private readonly isWorking: Uint8Array;
  private readonly workedBefore: Float64Array; // working minutes before the day starts
  private readonly workDayIndex: Int32Array; // day index of the n-th working day
  private readonly dates: string[];
  private readonly offsetByUtcDay = new Map<number, number>();
  private readonly offsetText = new Map<number, string>();
  private readonly isUtcZone: boolean;
  private lastIsoMs = Number.NaN;
  private lastIso = '';

  /**
   * @param firstDate first local date covered ("YYYY-MM-DD"); @param days number of days covered.
   * @param workingDays ISO weekdays (1 = Monday); @param hours working hours "HH:mm".
   */
  constructor(zone: string, firstDate: string, days: number, workingDays: readonly number[], hours: { start: string; end: string }) {
    this.zone = zone;
    const first = parseDate(firstDate);
    if (first === undefined) throw new RangeError(`invalid date ${JSON.stringify(firstDate)}: expected "YYYY-MM-DD"`);
    if (!DateTime.fromMillis(first, { zone }).isValid) throw new RangeError(`invalid time zone ${JSON.stringify(zone)}`);
    this.dayStartMinute = toMinutes(hours.start);
    this.dayEndMinute = toMinutes(hours.end);
    this.workMinutesPerDay = this.dayEndMinute - this.dayStartMinute;
    this.utcMidnight = new Float64Array(days);
    this.noonOffset = new Float64Array(days);
    this.isWorking = new Uint8Array(days);
    this.workedBefore = new Float64Array(days);
    this.dates = new Array<string>(days);
    const working: number[] = [];
    let worked = 0;
    for (let i = 0; i < days; i++) {
      // Calendar arithmetic on the local date itself (as if it were UTC), offsets from luxon by instant only:
      // luxon's local-time constructors consult the machine clock for a first guess, and nothing here may.
      const midnight = first + i * DAY_MS;
      const date = new Date(midnight);
      const weekday = date.getUTCDay() === 0 ? 7 : date.getUTCDay();
      this.utcMidnight[i] = midnight;
      this.noonOffset[i] = this.offsetOfLocal(midnight + 12 * 60 * MINUTE_MS);
      this.dates[i] = date.toISOString().slice(0, 10);
      this.workedBefore[i] = worked;
      if (workingDays.includes(weekday)) {
        this.isWorking[i] = 1;
        working.push(i);
        worked += this.workMinutesPerDay;
      }
    }
    this.workDayIndex = Int32Array.from(working);
    this.isUtcZone = zone === 'UTC' || zone === 'Etc/UTC' || zone === 'utc';
  }

  /** Offset in minutes at a local wall-clock time given as "local ms" (the local fields read as UTC). */
  private offsetOfLocal(localAsUtc: number): number {
    let offset = this.offsetAt(localAsUtc);
    for (let i = 0; i < 3; i++) {
      const next = this.offsetAt(localAsUtc - offset * MINUTE_MS);
      if (next === offset) break;
      offset = next;
    }
    return offset;
  }

  get days(): number {
    return this.dates.length;
  }

  /** Index of a local date in the table ("YYYY-MM-DD"). */
  dayIndexOfDate(date: string): number {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    return Math.round((Date.UTC(y, m - 1, d) - this.utcMidnight[0]!) / DAY_MS);
  }

  /** Local date ("YYYY-MM-DD") of a day index. */
  dateOf(dayIndex: number): string {
    const date = this.dates[dayIndex];
    if (date === undefined) throw new RangeError(`day ${dayIndex} is outside the clock's table (0..${this.days - 1})`);
    return date;
  }

  /** ISO weekday (1 = Monday) of a day index. */
  weekdayOf(dayIndex: number): number {
    const dow = new Date(this.utcMidnight[dayIndex]!).getUTCDay();
    return dow === 0 ? 7 : dow;
  }

  isWorkingDay(dayIndex: number): boolean {
    return this.isWorking[dayIndex] === 1;
  }

  /**
   * Epoch ms of a local wall-clock time on a day. Uses the day's noon offset, which is exact for every time after
   * that day's DST change; the simulator never schedules anything before 06:00, and real zones change before then.
   */
  localMs(dayIndex: number, minuteOfDay: number): number {
    const midnight = this.utcMidnight[dayIndex];
    if (midnight === undefined) throw new RangeError(`day ${dayIndex} is outside the clock's table`);
    return midnight + (minuteOfDay - this.noonOffset[dayIndex]!) * MINUTE_MS;
  }

  /**
   * The first instant of a local day: 00:00 local, or, in a zone whose clocks skip midnight on that day, the
   * first instant after the gap. The instant before it belongs to the previous local day.
   */
  startOfDayMs(dayIndex: number): number {
    const guess = this.localMs(dayIndex, 0);
    if (this.dayIndexOf(guess) === dayIndex && this.dayIndexOf(guess - 1) === dayIndex - 1) return guess;
    // A DST change near midnight: search for the first instant whose local date is the day (offsets are
    // between -12 and +14 hours, so the answer lies within a day of the UTC midnight of the local date).
    let lo = this.utcMidnight[dayIndex]! - DAY_MS; // on an earlier local day
    let hi = this.utcMidnight[dayIndex]! + DAY_MS; // on this local day or later
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.dayIndexOf(mid) >= dayIndex) hi = mid;
      else lo = mid;
    }
    return hi;
  }

  /** Local day index of an instant. */
  dayIndexOf(ms: number): number {
    return Math.floor((ms + this.offsetAt(ms) * MINUTE_MS - this.utcMidnight[0]!) / DAY_MS);
  }

  /** Local date ("YYYY-MM-DD") of an instant. */
  localDate(ms: number): string {
    return this.dateOf(this.dayIndexOf(ms));
  }

  /** Working minutes from the table's start up to an instant (instants outside working time snap forward). */
  workAt(ms: number): number {
    const i = this.dayIndexOf(ms);
    if (i < 0) return 0;
    if (i >= this.days) return this.workedBefore[this.days - 1]! + this.workMinutesPerDay;
    const before = this.workedBefore[i]!;
    if (!this.isWorking[i]) return before;
    const local = (ms - this.utcMidnight[i]! + this.noonOffset[i]! * MINUTE_MS) / MINUTE_MS;
    const inside = Math.min(Math.max(local - this.dayStartMinute, 0), this.workMinutesPerDay);
    return before + inside;
  }

  /** The instant at a number of working minutes from the table's start, rounded to whole seconds. */
  msAtWork(work: number): number {
    const perDay = this.workMinutesPerDay;
    let n = Math.floor(work / perDay);
    let rest = work - n * perDay;
    if (n >= this.workDayIndex.length) {
      n = this.workDayIndex.length - 1;
      rest = perDay;
    }
    if (n < 0) {
      n = 0;
      rest = 0;
    }
    const day = this.workDayIndex[n]!;
    const ms = this.localMs(day, this.dayStartMinute) + rest * MINUTE_MS;
    return Math.round(ms / 1000) * 1000;
  }

  /** The zone's UTC offset in minutes at an instant. */
  offsetAt(ms: number): number {
    const utcDay = Math.floor(ms / DAY_MS);
    let cached = this.offsetByUtcDay.get(utcDay);
    if (cached === undefined) {
      const start = utcDay * DAY_MS;
      const a = DateTime.fromMillis(start, { zone: this.zone }).offset;
      const b = DateTime.fromMillis(start + DAY_MS - 1, { zone: this.zone }).offset;
      cached = a === b ? a : Number.NaN;
      this.offsetByUtcDay.set(utcDay, cached);
    }
    return Number.isNaN(cached) ? DateTime.fromMillis(ms, { zone: this.zone }).offset : cached;
  }

  /** ISO-8601 with the zone's offset, exactly as luxon's `toISO()` in the zone writes it. */
  iso(ms: number): string {
    // One change set writes several fields at one instant: reuse the string rather than build it again.
    if (ms === this.lastIsoMs) return this.lastIso;
    const offset = this.offsetAt(ms);
    const local = new Date(ms + offset * MINUTE_MS).toISOString().slice(0, 23);
    this.lastIsoMs = ms;
    // join() builds one flat string; `+` would keep a cons of a slice of a temporary (3x the memory, for a
    // million retained timestamps).
    this.lastIso = [local, this.formatOffset(offset)].join('');
    return this.lastIso;
  }

  private formatOffset(offset: number): string {
    let text = this.offsetText.get(offset);
    if (text === undefined) {
      if (offset === 0 && this.isUtcZone) text = 'Z';
      else {
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        text = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
      }
      this.offsetText.set(offset, text);
    }
    return text;
  }
}

/** Epoch ms of "YYYY-MM-DD" at 00:00 UTC, or undefined when it is not a real date. */
export function parseDate(date: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === date ? ms : undefined;
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}
