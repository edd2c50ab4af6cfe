/**
 * The one-method port the Jira adapter talks through (jira.js' own `Client.sendRequest` idea): the CLI fills it
 * with jira.js, the Forge app with `requestJira`, tests with anything. A transport never throws for an HTTP
 * status: it returns it, and the adapter decides (retry, classify). It throws only when no response came
 * (network failure, timeout) — with a {@link TransportFailure}.
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

export interface JiraResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  readonly body: unknown;
}

export interface JiraTransport {
  /** The site the transport talks to, for messages ("https://x.atlassian.net"). */
  readonly site: string;
  /** Who is asking, for messages ("user@example.com"; "the Forge app"). */
  readonly principal: string;
  send(request: JiraRequest): Promise<JiraResponse>;
}

/** No response at all: the network failed, or the request timed out. */
export class TransportFailure extends Error {
  constructor(
    message: string,
    readonly kind: 'network' | 'timeout',
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TransportFailure';
  }
}
