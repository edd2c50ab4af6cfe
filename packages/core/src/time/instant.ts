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

/** The UTC ISO form of epoch milliseconds, used in results so that they read the same everywhere. */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
