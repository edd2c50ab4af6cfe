import { isRealDate, parseInstant } from './instant';

/**
 * Timestamps as trackers really send them, read once at the edge. Jira Cloud and Azure DevOps write an instant
 * in several forms, depending on the endpoint rather than on the spec:
 *
 * | form | example | where |
 * |---|---|---|
 * | ISO-8601, offset without a colon | `2024-07-04T05:41:00.089-0700` | Jira issues, per-issue changelogs, sprints |
 * | ISO-8601, `Z` or `+00:00`, 0 to 7 fractional digits | `2019-05-08T22:08:48.4566667Z` | Azure DevOps fields and revisions |
 * | epoch milliseconds, a number | `1741257000000` | Jira's `/changelog/bulkfetch` history `created` |
 * | epoch milliseconds, a numeric string | `"1741257000000"` | some clients and proxies re-encode the number |
 * | epoch seconds | `1492070429` | Atlassian's own bulkfetch example (real answers carry milliseconds) |
 *
 * and a calendar date in two forms: `2025-03-14` (Jira versions) or midnight UTC `2025-03-14T00:00:00Z` (Azure
 * DevOps iterations). An ISO instant is kept as the tracker wrote it (the model's instants keep their offset);
 * epoch milliseconds become the UTC ISO form. Anything else is `undefined`: the caller says which item and field,
 * and skips what it cannot place in time.
 */

/**
 * Epoch numbers are read as milliseconds when that gives a year from 1990 to 2199, else as seconds when that
 * does: the two ranges cannot overlap (seconds of those years are 9 or 10 digits, milliseconds 12 or 13).
 */
const EARLIEST_MS = Date.UTC(1990, 0, 1);
const LATEST_MS = Date.UTC(2200, 0, 1);

/** An instant in any form a tracker is known to send, as an ISO-8601 instant with an offset; else undefined. */
export function readInstant(raw: unknown): string | undefined {
  const ms = epochMs(raw);
  if (ms !== undefined) return new Date(ms).toISOString();
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  return Number.isFinite(parseInstant(text)) ? text : undefined;
}

/**
 * A calendar date ("YYYY-MM-DD") in any form a tracker is known to send one: the date alone, an instant
 * (its date as written, which for Azure DevOps' midnight UTC is the date meant), or epoch milliseconds (the
 * date in UTC). Undefined when it is none of these or the day does not exist.
 */
export function readDate(raw: unknown): string | undefined {
  const ms = epochMs(raw);
  if (ms !== undefined) return new Date(ms).toISOString().slice(0, 10);
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text.length === 10) return isRealDate(text) ? text : undefined;
  return Number.isFinite(parseInstant(text)) ? text.slice(0, 10) : undefined;
}

/** A tracker's raw value as a warning quotes it: JSON, cut to 80 characters. */
export function quoteRaw(raw: unknown): string {
  let text: string;
  try {
    text = raw === undefined ? 'nothing' : (JSON.stringify(raw) ?? String(raw));
  } catch {
    text = String(raw);
  }
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}

function epochMs(raw: unknown): number | undefined {
  let n: number;
  if (typeof raw === 'number') n = raw;
  else if (typeof raw === 'string' && /^\s*\d{9,15}\s*$/.test(raw)) n = Number(raw);
  else return undefined;
  if (!Number.isInteger(n)) return undefined;
  if (n >= EARLIEST_MS && n < LATEST_MS) return n;
  return n * 1000 >= EARLIEST_MS && n * 1000 < LATEST_MS ? n * 1000 : undefined;
}
