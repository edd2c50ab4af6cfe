import { type RequestContext, TrackerError, type TrackerErrorDetails, type TrackerErrorKind } from '@agile-kpi/tracker-client';

/** Errors classified at the edge, in words that say what to fix (same kinds as the Jira adapter's). */
export type AdoErrorKind = TrackerErrorKind;

export interface AdoErrorDetails extends TrackerErrorDetails {
  readonly typeKey?: string;
}

/** An Azure DevOps failure; its `trackerMessage` is Azure DevOps' message, as quoted after "Azure DevOps said:". */
export class AdoError extends TrackerError<AdoErrorDetails> {
  constructor(kind: AdoErrorKind, message: string, details: AdoErrorDetails = {}, options?: { cause?: unknown }) {
    super('azure-devops', kind, message, details, options);
    this.name = 'AdoError';
  }
}

/** Azure DevOps error bodies: `{ message, typeKey, typeName, errorCode }` or plain text. */
export function adoMessage(body: unknown): { message?: string; typeKey?: string } {
  if (typeof body === 'string') return body.trim() ? { message: body.trim().slice(0, 300) } : {};
  if (!body || typeof body !== 'object') return {};
  const b = body as { message?: unknown; typeKey?: unknown };
  return {
    ...(typeof b.message === 'string' ? { message: b.message } : {}),
    ...(typeof b.typeKey === 'string' ? { typeKey: b.typeKey } : {}),
  };
}

export function adoHttpError(status: number, body: unknown, ctx: RequestContext, retryAfterMs?: number): AdoError {
  const { message, typeKey } = adoMessage(body);
  const said = message ? ` Azure DevOps said: ${message}` : '';
  const details = { status, path: ctx.path, ...(typeKey ? { typeKey } : {}), ...(message ? { trackerMessage: message } : {}) };
  if (status === 401 || status === 203) {
    return new AdoError('auth', `the personal access token was rejected by ${ctx.site}: check AZURE_DEVOPS_PAT (it needs the "Work Items (Read)" scope and must not be expired)`, details);
  }
  if (status === 403) return new AdoError('forbidden', `the personal access token may not ${ctx.what} at ${ctx.site}: it needs the "Work Items (Read)" scope and access to the project.${said}`, details);
  if (status === 404) return new AdoError('not-found', `could not ${ctx.what} at ${ctx.site}: check the project and team names (they are case-insensitive but must exist).${said}`, details);
  if (status === 429) {
    const wait = retryAfterMs !== undefined ? ` Azure DevOps asked us to wait ${Math.ceil(retryAfterMs / 1000)} s.` : '';
    return new AdoError('rate-limited', `Azure DevOps at ${ctx.site} kept throttling us while we tried to ${ctx.what}; try again later.${wait}${said}`, details);
  }
  if (status >= 500) return new AdoError('server', `Azure DevOps at ${ctx.site} failed (HTTP ${status}) while we tried to ${ctx.what}; try again later.${said}`, details);
  return new AdoError('bad-request', `Azure DevOps at ${ctx.site} refused to ${ctx.what} (HTTP ${status}).${said}`, details);
}
