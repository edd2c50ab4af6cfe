import type { HostError, HostResult } from '@agile-kpi/presentation';
import { type HostWords, type Log, answer as hostedAnswer, hostErrorOf, trackerAnswer } from '@agile-kpi/hosted-service';
import { JiraError } from '@agile-kpi/jira';

/**
 * How the Forge app words what only it knows: Jira's errors, reworded for the app (the adapter's own talk about
 * API tokens and --concurrency is for the CLI), keeping what Jira said; the rest is the hosted service's.
 */
const FORGE_WORDS: HostWords = {
  scope: 'board',
  internal: 'agile-kpi failed unexpectedly; the details are in the app logs (forge logs).',
  classify(err) {
    if (!(err instanceof JiraError)) return undefined;
    const said = err.details.jiraMessages?.length ? ` Jira said: ${err.details.jiraMessages.join(' ')}` : '';
    return trackerAnswer(err, {
      auth: `Jira did not accept the agile-kpi app's credentials (HTTP 401); ask a Jira admin to update or reinstall the app.${said}`,
      forbidden: `the agile-kpi app may not read this board: it needs the Browse projects permission on the board's projects (Jira admins grant it to the atlassian-addons-project-access role).${said}`,
      'not-found': `this board does not exist, or the agile-kpi app cannot see it (the app needs the Browse projects permission on the board's projects); choose another board in the gadget's settings.${said}`,
      'rate-limited': err.details.resetAt
        ? `Jira's hourly rate limit for the agile-kpi app is used up; it resets at ${err.details.resetAt.slice(11, 16)} UTC, and the metrics load again after that.`
        : `Jira is rate-limiting the agile-kpi app; the metrics load again in a few minutes.${said}`,
    });
  },
};

/** Turns an error into what the gadget shows. */
export function hostError(err: unknown): HostError {
  return hostErrorOf(err, FORGE_WORDS);
}

/** Runs a resolver's work and answers `{ ok, data }` or `{ ok: false, error }`: nothing of ours crosses the bridge. */
export function answer<T>(log: Log, what: string, work: () => Promise<T>, passThrough?: (err: unknown) => boolean): Promise<HostResult<T>> {
  return hostedAnswer(log, what, work, hostError, passThrough);
}
