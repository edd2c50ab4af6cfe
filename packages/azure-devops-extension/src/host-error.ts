import { AdoError } from '@agile-kpi/azure-devops';
import type { HostError, HostResult } from '@agile-kpi/presentation';
import { type HostWords, type Log, answer as hostedAnswer, hostErrorOf, trackerAnswer } from '@agile-kpi/hosted-service';
import { ExtensionDataError } from './extension-data';
import { TokenError } from './rest-client-transport';

/** What the page says when its sign-in no longer works: the one thing a user can do about it. */
export const SIGN_IN_AGAIN = 'reload the page; if that does not help, sign out of Azure DevOps and sign in again';

/**
 * How the extension words what only it knows: the page's sign-in, the extension data service, and Azure DevOps'
 * errors, whose adapter messages (written for the CLI: personal access tokens, AZURE_DEVOPS_PAT) are reworded for
 * a page that reads Azure DevOps with the viewer's own sign-in, keeping what Azure DevOps said.
 */
const EXTENSION_WORDS: HostWords = {
  scope: 'team',
  internal: 'agile-kpi failed unexpectedly; the details are in the browser console (F12).',
  classify(err) {
    if (err instanceof TokenError) return { kind: 'auth', message: `Azure DevOps gave this page no access token (${err.message}): your sign-in may have expired. To continue, ${SIGN_IN_AGAIN}.` };
    if (err instanceof ExtensionDataError) {
      if (err.status === 401) return { kind: 'auth', message: `Azure DevOps refused this page's access token for the extension's storage (HTTP 401): your sign-in may have expired. To continue, ${SIGN_IN_AGAIN}.` };
      if (err.status === 403) return { kind: 'forbidden', message: `Azure DevOps refused the extension's storage to you (HTTP 403); ask an organisation administrator whether agile-kpi is installed and shared with you` };
      return { kind: 'server', message: `${err.message}; try again in a minute` };
    }
    if (!(err instanceof AdoError)) return undefined;
    const tail = err.trackerMessage ? ` Azure DevOps said: ${err.trackerMessage}` : '';
    return trackerAnswer(err, {
      auth: `Azure DevOps refused this page's access token (HTTP 401): your sign-in may have expired. To continue, ${SIGN_IN_AGAIN}.`,
      forbidden: `Azure DevOps does not let you read this team's work items (HTTP 403). agile-kpi reads them with your own access (Work Items: Read); ask a project administrator for it.${tail}`,
      'not-found': `Azure DevOps could not find this team or project, or you cannot see it: if it was renamed or deleted, open a team that exists.${tail}`,
      'rate-limited': `Azure DevOps is throttling the requests of your sign-in; the metrics load again in a few minutes.${tail}`,
    });
  },
};

/** Turns an error into what the dashboard shows. */
export function hostError(err: unknown): HostError {
  return hostErrorOf(err, EXTENSION_WORDS);
}

/** Runs a Host call and answers `{ ok, data }` or `{ ok: false, error }`: nothing is thrown into the dashboard. */
export function answer<T>(log: Log, what: string, work: () => Promise<T>): Promise<HostResult<T>> {
  return hostedAnswer(log, what, work, hostError);
}
