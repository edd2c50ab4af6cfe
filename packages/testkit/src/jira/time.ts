import { DateTime } from 'luxon';

/**
 * Time formats of Jira Cloud's REST APIs.
 *
 * - Platform API (`/rest/api/3`): `2025-01-06T10:00:00.000+0100`, offset without a colon, in a zone.
 * - Agile API (sprints): `2025-01-06T09:00:00.000Z`, UTC.
 * - Versions: plain local dates `2025-01-06`.
 *
 * Offsets are looked up once per zone and 15-minute bucket (every real offset change happens on a quarter hour), so
 * formatting the hundreds of thousands of instants of a large simulated site stays cheap.
 */
const BUCKET_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();

/** Offset of `zone` at `ms`, in minutes. */
export function offsetMinutes(ms: number, zone: string): number {
  let byBucket = offsetCache.get(zone);
  if (!byBucket) offsetCache.set(zone, (byBucket = new Map()));
  const bucket = Math.floor(ms / BUCKET_MS);
  let offset = byBucket.get(bucket);
  if (offset === undefined) {
    offset = DateTime.fromMillis(bucket * BUCKET_MS, { zone }).offset;
    byBucket.set(bucket, offset);
  }
  return offset;
}

/** `2025-01-06T10:00:00.000+0100`: the platform API's date-time format, in `zone`. */
export function jiraDateTime(ms: number, zone: string): string {
  const offset = offsetMinutes(ms, zone);
  const local = new Date(ms + offset * 60_000).toISOString().slice(0, 23);
  const abs = Math.abs(offset);
  const sign = offset < 0 ? '-' : '+';
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}

/** `2025-01-06T09:00:00.000Z`: the agile API's format for sprint dates. */
export function agileDateTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The local calendar date of `ms` in `zone` ("YYYY-MM-DD"). */
export function localDate(ms: number, zone: string): string {
  return new Date(ms + offsetMinutes(ms, zone) * 60_000).toISOString().slice(0, 10);
}

/** Parses an ISO-8601 instant (with `Z`, `+01:00` or Jira's `+0100`); throws on anything else. */
export function parseInstant(text: string): number {
  const fixed = /[+-]\d{4}$/.test(text) ? `${text.slice(0, -2)}:${text.slice(-2)}` : text;
  const ms = Date.parse(fixed);
  if (!Number.isFinite(ms)) throw new RangeError(`not an ISO instant: ${JSON.stringify(text)}`);
  return ms;
}

/** Epoch ms of a local wall-clock time in `zone`. */
export function localToMs(zone: string, year: number, month: number, day: number, hour = 0, minute = 0): number {
  return DateTime.fromObject({ year, month, day, hour, minute }, { zone }).toMillis();
}
