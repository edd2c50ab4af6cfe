import { TrackerError, type TrackerErrorDetails, type TrackerErrorKind } from '@agile-kpi/tracker-client';

/**
 * Errors classified at the edge (jira.js' error kinds): each says what happened in words a Scrum Master can
 * act on, names the site and the principal, and keeps the HTTP status and Jira's own messages for debugging.
 */
export type JiraErrorKind = TrackerErrorKind;

export interface JiraErrorDetails extends TrackerErrorDetails {
  readonly jiraMessages?: readonly string[];
  /** Jira's hourly rate limit is used up: when it resets (ISO instant, from the caller's clock and Retry-After). */
  readonly resetAt?: string;
}

/** A Jira failure; its `trackerMessage` is Jira's messages joined, as quoted after "Jira said:". */
export class JiraError extends TrackerError<JiraErrorDetails> {
  constructor(kind: JiraErrorKind, message: string, details: JiraErrorDetails = {}, options?: { cause?: unknown }) {
    const said = details.trackerMessage ?? (details.jiraMessages?.length ? details.jiraMessages.join(' ') : undefined);
    super('jira', kind, message, said === undefined ? details : { ...details, trackerMessage: said }, options);
    this.name = 'JiraError';
  }
}

/** Jira's error bodies: `{ errorMessages: [...], errors: { field: message } }`, or plain text. */
export function jiraMessages(body: unknown): string[] {
  if (typeof body === 'string') return body.trim() ? [body.trim().slice(0, 300)] : [];
  if (!body || typeof body !== 'object') return [];
  const b = body as { errorMessages?: unknown; errors?: unknown; message?: unknown };
  const out: string[] = [];
  if (Array.isArray(b.errorMessages)) out.push(...b.errorMessages.filter((m): m is string => typeof m === 'string'));
  if (b.errors && typeof b.errors === 'object') {
    for (const [k, v] of Object.entries(b.errors as Record<string, unknown>)) if (typeof v === 'string') out.push(`${k}: ${v}`);
  }
  if (typeof b.message === 'string') out.push(b.message);
  return out;
}

export interface ErrorContext {
  readonly site: string;
  readonly principal: string;
  /** What was being done, as a phrase: "read board 42's configuration". */
  readonly what: string;
  readonly path: string;
}

/** Turns a final (not retried any more) HTTP status into a classified error. */
export function httpError(status: number, body: unknown, ctx: ErrorContext): JiraError {
  const messages = jiraMessages(body);
  const said = messages.length ? ` Jira said: ${messages.join(' ')}` : '';
  const details = { status, path: ctx.path, jiraMessages: messages };
  if (status === 401) {
    return new JiraError(
      'auth',
      `the API token was rejected for ${ctx.principal} at ${ctx.site}: check JIRA_EMAIL and JIRA_API_TOKEN (create a token at https://id.atlassian.com/manage-profile/security/api-tokens)`,
      details,
    );
  }
  if (status === 403) {
    return new JiraError('forbidden', `${ctx.principal} may not ${ctx.what} at ${ctx.site}: ask a Jira admin for the "Browse projects" permission on the board's projects.${said}`, details);
  }
  if (status === 404) return new JiraError('not-found', `could not ${ctx.what} at ${ctx.site}: it does not exist or ${ctx.principal} cannot see it.${said}`, details);
  if (status === 429) return new JiraError('rate-limited', `Jira at ${ctx.site} kept rate-limiting us while we tried to ${ctx.what}; try again later or lower --concurrency.${said}`, details);
  if (status >= 500) return new JiraError('server', `Jira at ${ctx.site} failed (HTTP ${status}) while we tried to ${ctx.what}; try again later.${said}`, details);
  return new JiraError('bad-request', `Jira at ${ctx.site} refused to ${ctx.what} (HTTP ${status}).${said}`, details);
}

const HOUR_MS = 3_600_000;
/** Reasons Jira gives for limits that lift within seconds: never the hourly quota. */
const SHORT_LIMITS = /burst|per-issue/i;

/**
 * A 429 that asks for a wait longer than the caller can take, when it is Jira's hourly limit: the points-based
 * quota per hour (developer.atlassian.com/cloud/jira/platform/rate-limiting/), whose `Retry-After` lasts to the
 * next full hour, when the quota resets. Its own error: waiting is no use before then, and retrying sooner only
 * earns the same answer. Undefined for any other 429 (a burst limit lifts within seconds; its `RateLimit-Reason`
 * says so: `jira-burst-based`, `jira-per-issue-on-write`).
 */
export function hourlyLimitError(headers: Readonly<Record<string, string>>, retryAfterMs: number, ctx: ErrorContext, nowMs: number): JiraError | undefined {
  const reason = headers['ratelimit-reason'] ?? headers['x-ratelimit-reason'];
  const resetAt = nowMs + retryAfterMs;
  const nextHour = Math.floor(nowMs / HOUR_MS) * HOUR_MS + HOUR_MS;
  // Retry-After counts whole seconds to the reset at the top of the hour: allow it to end a second or two early.
  if ((reason && SHORT_LIMITS.test(reason)) || resetAt < nextHour - 2_000) return undefined;
  const at = new Date(resetAt).toISOString();
  const minutes = Math.ceil(retryAfterMs / 60_000);
  return new JiraError(
    'rate-limited',
    `Jira's hourly rate limit for ${ctx.principal} at ${ctx.site} is used up${reason ? ` (${reason})` : ''}; it resets at ${at.slice(11, 16)} UTC, in ${minutes} min: we did not ${ctx.what}, try again after that.`,
    { status: 429, path: ctx.path, resetAt: at },
  );
}
