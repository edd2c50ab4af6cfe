/**
 * Instants as epoch milliseconds. Trackers write offsets both as "-07:00" and as Jira's "-0700"; both are
 * read exactly, never through the machine's own zone. Every timeline change goes through here several times
 * (checking, indexing), so the common shape is read digit by digit rather than through `Date.parse`, which is
 * several times slower on offsets and accepts days that do not exist (2025-02-30 becomes March 2).
 */

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Epoch milliseconds of "YYYY-MM-DDTHH:mm[:ss[.fff…]](Z|±HH[:]mm)"; `NaN` when it is not one or the day does not exist. */
export function parseInstant(iso: string): number {
  const n = iso.length;
  if (n < 17 || iso.charCodeAt(4) !== 45 || iso.charCodeAt(7) !== 45 || iso.charCodeAt(10) !== 84 || iso.charCodeAt(13) !== 58) return NaN;
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 2);
  const day = digits(iso, 8, 2);
  const hour = digits(iso, 11, 2);
  const minute = digits(iso, 14, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59) return NaN;
  if (day > daysInMonth(year, month)) return NaN;
  let i = 16;
  let second = 0;
  let ms = 0;
  if (iso.charCodeAt(i) === 58) {
    second = digits(iso, i + 1, 2);
    if (second < 0 || second > 59) return NaN;
    i += 3;
    if (iso.charCodeAt(i) === 46) {
      // Fraction: 1 to 9 digits, milliseconds kept.
      let j = i + 1;
      let scale = 100;
      while (j < n && isDigit(iso.charCodeAt(j))) {
        if (scale >= 1) ms += (iso.charCodeAt(j) - 48) * scale;
        scale /= 10;
        j++;
      }
      if (j === i + 1 || j - i - 1 > 9) return NaN;
      i = j;
    }
  }
  let offsetMinutes: number;
  const c = iso.charCodeAt(i);
  if (c === 90 && i === n - 1) {
    offsetMinutes = 0;
  } else if ((c === 43 || c === 45) && (n - i === 6 || n - i === 5)) {
    const oh = digits(iso, i + 1, 2);
    const colon = n - i === 6;
    if (colon && iso.charCodeAt(i + 3) !== 58) return NaN;
    const om = digits(iso, colon ? i + 4 : i + 3, 2);
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return NaN;
    offsetMinutes = (c === 45 ? -1 : 1) * (oh * 60 + om);
  } else {
    return NaN;
  }
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (year < 100) {
    // Date.UTC reads years 0-99 as 1900-1999.
    const d = new Date(t);
    d.setUTCFullYear(year);
    t = d.getTime();
  }
  return t - offsetMinutes * 60_000;
}

/**
 * Whether "YYYY-MM-DD" (alone or at the start of an instant) names a day that exists.
 */
export function isRealDate(text: string): boolean {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 2);
  const day = digits(text, 8, 2);
  return year >= 0 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The UTC ISO form of epoch milliseconds, used in results so that they read the same everywhere. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

function digits(s: string, from: number, count: number): number {
  let v = 0;
  for (let k = from; k < from + count; k++) {
    const d = s.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    v = v * 10 + d;
  }
  return v;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return DAYS_IN_MONTH[month - 1]!;
}
