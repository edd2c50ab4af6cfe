import { DateTime } from 'luxon';
import { localDate, offsetMinutes, parseInstant } from '../jira/time';

/**
 * Time formats of Azure DevOps Services' REST APIs.
 *
 * - Date-times are UTC with the fraction trimmed as .NET's round-trip format writes it: `2014-03-18T17:16:56.25Z`,
 *   `2017-09-04T02:08:16.6Z`, and no fraction at all on a whole second (`2025-01-06T09:00:00Z`).
 * - Iteration dates are dates at midnight UTC: `2025-01-06T00:00:00Z`.
 * - The end of time (`System.RevisedDate` of a current revision): `9999-01-01T00:00:00Z`.
 */

export const END_OF_TIME = '9999-01-01T00:00:00Z';

/** `2025-01-06T09:22:44.123Z`, `2025-01-06T09:22:44.12Z`, `2025-01-06T09:22:44Z`. */
export function adoDateTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  const fraction = iso.slice(20, 23).replace(/0+$/, '');
  return `${iso.slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
}

/** `2025-01-06` -> `2025-01-06T00:00:00Z`. */
export function adoDate(date: string | null): string | null {
  return date === null ? null : `${date}T00:00:00Z`;
}

/** The day after (or before, with a negative `days`) a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Whether `ms` is exactly a local midnight in `zone`. */
export function isLocalMidnight(ms: number, zone: string): boolean {
  const local = ms + offsetMinutes(ms, zone) * 60_000;
  return local % 86_400_000 === 0;
}

/** Epoch ms of local midnight of `date` in `zone`. */
export function localMidnight(date: string, zone: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return DateTime.fromObject({ year: y, month: m, day: d }, { zone }).toMillis();
}

export { localDate, parseInstant };
