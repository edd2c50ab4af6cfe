import { type DataWarning, quoteRaw, readDate, readInstant } from '@agile-kpi/core';
import { z } from 'zod';

/**
 * Reading a tracker's records one by one, liberally: an answer's envelope (the `issues` / `values` / `value`
 * array) must be there, but one record the adapter cannot read is left out with a warning naming it, its field
 * and the raw value, never a failed sync. Instants and dates go through core's one timestamp reader.
 */

/** One field of a record that could not be read. */
export interface RecordProblem {
  /** Where in the record: "fields.created", "history 10234 created". */
  readonly field: string;
  readonly raw: unknown;
  readonly reason: string;
}

const NOT_AN_INSTANT = 'not a timestamp Jira or Azure DevOps is known to send';
const NOT_A_DATE = 'not a date (YYYY-MM-DD)';

/** A field read by `read`, or absent (`null`, "") when optional; a value it refuses is an issue with `reason`. */
function timestampField(read: (raw: unknown) => string | undefined, reason: string, optional: boolean) {
  return z.unknown().transform((value, ctx): string | undefined => {
    if (optional && (value === undefined || value === null || value === '')) return undefined;
    const text = read(value);
    if (text !== undefined) return text;
    ctx.addIssue({ code: 'custom', message: reason, input: value });
    return z.NEVER;
  });
}

/** An instant in any form trackers send (ISO with any offset, epoch ms as number or string), kept as ISO. */
export const instantField = timestampField(readInstant, NOT_AN_INSTANT, false) as z.ZodType<string, unknown>;

/** An instant that may be absent (`null`, missing or empty). */
export const optionalInstantField = timestampField(readInstant, NOT_AN_INSTANT, true).optional();

/** A calendar date that may be absent, as "YYYY-MM-DD" (from a date, midnight UTC or epoch ms). */
export const optionalDateField = timestampField(readDate, NOT_A_DATE, true).optional();

/** A record read against its schema: its value, or every field that failed with its raw value. */
export function readRecord<S extends z.ZodType>(schema: S, raw: unknown, label = ''): { ok: true; value: z.output<S> } | { ok: false; problems: RecordProblem[] } {
  const r = schema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  return {
    ok: false,
    problems: r.error.issues.map((issue) => {
      const path = issue.path.map(String).join('.');
      const value = valueAt(raw, issue.path);
      return { field: [label, path].filter(Boolean).join(' ') || '(record)', raw: value, reason: reasonOf(issue, value) };
    }),
  };
}

/** A warning for a record left out: what it is, and each field that could not be read with its raw value. */
export function skippedWarning(what: string, problems: readonly RecordProblem[], ids: Omit<DataWarning, 'code' | 'message'> = {}): DataWarning {
  const shown = problems.slice(0, 3).map((p) => `${p.field} ${quoteRaw(p.raw)} is ${p.reason}`);
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return { code: 'unreadable-record', message: `${what} skipped: ${shown.join('; ')}${more}`, ...ids };
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function reasonOf(issue: z.core.$ZodIssue, value: unknown): string {
  if (value === undefined) return 'missing';
  if (issue.code === 'custom') return issue.message;
  if (issue.code === 'invalid_type') return `not ${article(issue.expected)}`;
  return issue.message.replace(/^Invalid input: /, '').toLowerCase();
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
