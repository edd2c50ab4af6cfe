import { SnapshotError } from '@agile-kpi/core';
import type { HostError, HostResult } from '@agile-kpi/dashboard';
import { EvidencePageError } from '@agile-kpi/dashboard/headless';
import { JiraError } from '@agile-kpi/jira';
import { ConfigError } from './gadget-config';

/** An answer the app gives on purpose (not a bug): a first sync still under way, a viewer without access. */
export class AppError extends Error {
  constructor(
    readonly kind: string,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export type Log = Pick<Console, 'info' | 'warn' | 'error'>;

/**
 * Runs a resolver's work and answers `{ ok, data }` or `{ ok: false, error }`: nothing of ours is ever thrown
 * across the bridge. Errors are classified at the edge; one that is not understood is logged in full (Forge keeps
 * the function's logs) and answered with a generic `internal` error, without internals.
 */
export async function answer<T>(log: Log, what: string, work: () => Promise<T>, passThrough?: (err: unknown) => boolean): Promise<HostResult<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (err) {
    // The one exception: the platform's own signals (Forge's consent prompt) must reach the platform.
    if (passThrough?.(err)) throw err;
    const error = hostError(err);
    if (error.kind === 'internal') log.error(`agile-kpi: ${what} failed`, err);
    else log.warn(`agile-kpi: ${what}: ${error.kind}: ${error.message}`);
    return { ok: false, error };
  }
}

/**
 * Turns an error into what the dashboard shows. Jira's error kinds keep their names; their messages are
 * reworded for the Forge app (the adapter's own talk about API tokens and --concurrency is for the CLI),
 * keeping what Jira said.
 */
export function hostError(err: unknown): HostError {
  if (err instanceof ConfigError || err instanceof AppError || err instanceof EvidencePageError) return { kind: err.kind, message: err.message };
  if (err instanceof SnapshotError) return { kind: 'unexpected-shape', message: `the board's data could not be read as a team history: ${err.message}` };
  if (err instanceof JiraError) {
    const said = err.details.jiraMessages?.length ? ` Jira said: ${err.details.jiraMessages.join(' ')}` : '';
    switch (err.kind) {
      case 'auth':
        return { kind: 'auth', message: `Jira did not accept the agile-kpi app's credentials (HTTP 401); ask a Jira admin to update or reinstall the app.${said}` };
      case 'forbidden':
        return {
          kind: 'forbidden',
          message: `the agile-kpi app may not read this board: it needs the Browse projects permission on the board's projects (Jira admins grant it to the atlassian-addons-project-access role).${said}`,
        };
      case 'not-found':
        return {
          kind: 'not-found',
          message: `this board does not exist, or the agile-kpi app cannot see it (the app needs the Browse projects permission on the board's projects); choose another board in the gadget's settings.${said}`,
        };
      case 'rate-limited':
        return err.details.resetAt
          ? { kind: 'rate-limited', message: `Jira's hourly rate limit for the agile-kpi app is used up; it resets at ${err.details.resetAt.slice(11, 16)} UTC, and the metrics load again after that.` }
          : { kind: 'rate-limited', message: `Jira is rate-limiting the agile-kpi app; the metrics load again in a few minutes.${said}` };
      case 'bad-request':
        return { kind: 'invalid', message: err.message };
      default:
        return { kind: err.kind, message: err.message };
    }
  }
  return { kind: 'internal', message: 'agile-kpi failed unexpectedly; the details are in the app logs (forge logs).' };
}
