/**
 * Instants as epoch milliseconds. Trackers write offsets both as "-07:00" and as Jira's "-0700"; both are
 * read exactly, never through the machine's own zone.
 */

const OFFSET_WITHOUT_COLON = /([+-]\d{2})(\d{2})$/;

/** Epoch milliseconds of an ISO-8601 instant with an offset; `NaN` when it is not one. */
export function parseInstant(iso: string): number {
  const normalised = OFFSET_WITHOUT_COLON.test(iso) && !iso.endsWith('Z') ? iso.replace(OFFSET_WITHOUT_COLON, '$1:$2') : iso;
  return Date.parse(normalised);
}

/**
 * Whether "YYYY-MM-DD" (alone or at the start of an instant) names a day that exists. `Date.parse` rolls
 * 2025-02-30 over to March 2 instead of refusing it.
 */
export function isRealDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  return utc.getUTCFullYear() === y && utc.getUTCMonth() === mo - 1 && utc.getUTCDate() === d;
}

/** The UTC ISO form of epoch milliseconds, used in results so that they read the same everywhere. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
