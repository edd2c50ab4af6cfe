import { AdoError } from '@agile-kpi/azure-devops';
import { SnapshotError } from '@agile-kpi/core';
import { EvidencePageError, type HostError, type HostResult } from '@agile-kpi/dashboard';
import { ConfigError } from './config';
import { ExtensionDataError } from './extension-data';
import { TokenError } from './rest-client-transport';

/** An answer the extension gives on purpose (not a bug): a first sync still under way, a sprint not the team's. */
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

/** What the page says when its sign-in no longer works: the one thing a user can do about it. */
export const SIGN_IN_AGAIN = 'reload the page; if that does not help, sign out of Azure DevOps and sign in again';

/**
 * Runs a Host call and answers `{ ok, data }` or `{ ok: false, error }`: nothing is thrown into the dashboard.
 * An error that is not understood is logged in full (the browser console) and answered as `internal`.
 */
export async function answer<T>(log: Log, what: string, work: () => Promise<T>): Promise<HostResult<T>> {
  try {
    return { ok: true, data: await work() };
  } catch (err) {
    const error = hostError(err);
    if (error.kind === 'internal') log.error(`agile-kpi: ${what} failed`, err);
    else log.warn(`agile-kpi: ${what}: ${error.kind}: ${error.message}`);
    return { ok: false, error };
  }
}

/**
 * Turns an error into what the dashboard shows. The adapter's kinds keep their names; its messages, written
 * for the CLI (personal access tokens, AZURE_DEVOPS_PAT), are reworded for a page that reads Azure DevOps with
 * the viewer's own sign-in, keeping what Azure DevOps said.
 */
export function hostError(err: unknown): HostError {
  if (err instanceof ConfigError || err instanceof AppError || err instanceof EvidencePageError) return { kind: err.kind, message: err.message };
  if (err instanceof TokenError) return { kind: 'auth', message: `Azure DevOps gave this page no access token (${err.message}): your sign-in may have expired. To continue, ${SIGN_IN_AGAIN}.` };
  if (err instanceof SnapshotError) return { kind: 'unexpected-shape', message: `the team's data could not be read as a team history: ${err.message}` };
  if (err instanceof ExtensionDataError) {
    if (err.status === 401) return { kind: 'auth', message: `Azure DevOps refused this page's access token for the extension's storage (HTTP 401): your sign-in may have expired. To continue, ${SIGN_IN_AGAIN}.` };
    if (err.status === 403) return { kind: 'forbidden', message: `Azure DevOps refused the extension's storage to you (HTTP 403); ask an organisation administrator whether agile-kpi is installed and shared with you` };
    return { kind: 'server', message: `${err.message}; try again in a minute` };
  }
  if (err instanceof AdoError) {
    const said = /(?:^|\s)Azure DevOps said: (.*)$/s.exec(err.message)?.[1];
    const tail = said ? ` Azure DevOps said: ${said}` : '';
    switch (err.kind) {
      case 'auth':
        return { kind: 'auth', message: `Azure DevOps refused this page's access token (HTTP 401): your sign-in may have expired. To continue, ${SIGN_IN_AGAIN}.` };
      case 'forbidden':
        return {
          kind: 'forbidden',
          message: `Azure DevOps does not let you read this team's work items (HTTP 403). agile-kpi reads them with your own access (Work Items: Read); ask a project administrator for it.${tail}`,
        };
      case 'not-found':
        return { kind: 'not-found', message: `Azure DevOps could not find this team or project, or you cannot see it: if it was renamed or deleted, open a team that exists.${tail}` };
      case 'rate-limited':
        return { kind: 'rate-limited', message: `Azure DevOps is throttling the requests of your sign-in; the metrics load again in a few minutes.${tail}` };
      case 'bad-request':
        return { kind: 'invalid', message: err.message };
      default:
        return { kind: err.kind, message: err.message };
    }
  }
  return { kind: 'internal', message: 'agile-kpi failed unexpectedly; the details are in the browser console (F12).' };
}
