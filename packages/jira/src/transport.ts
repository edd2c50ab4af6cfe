import type { TrackerResponse, TrackerTransport } from '@agile-kpi/tracker-client';

export { TransportFailure } from '@agile-kpi/tracker-client';

/**
 * The Jira adapter's port (jira.js' own `Client.sendRequest` idea): the CLI fills it with jira.js, the Forge
 * app with `requestJira`, tests with anything. See `@agile-kpi/tracker-client` for the contract: statuses
 * are returned, never thrown; only a missing response throws a TransportFailure.
 */
export type QueryValue = string | number | boolean | readonly (string | number)[] | undefined;

export interface JiraRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path below the site, starting with '/': '/rest/api/3/search/jql'. */
  readonly path: string;
  /** Query parameters; arrays are sent comma-joined (as jira.js does). */
  readonly query?: Readonly<Record<string, QueryValue>>;
  /** JSON body for POST/PUT. */
  readonly body?: unknown;
}

export type JiraResponse = TrackerResponse;
export type JiraTransport = TrackerTransport<JiraRequest>;
