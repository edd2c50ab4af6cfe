/**
 * The one-method port every tracker adapter talks through (jira.js' own `Client.sendRequest` idea): each
 * surface fills it with its own HTTP stack (a client library in the CLI, `requestJira` in Forge, the
 * extension SDK's fetch in Azure DevOps). A transport never throws for an HTTP status: it returns it, and the
 * client decides (retry, classify). It throws only when no response came, with a {@link TransportFailure}.
 */
export interface TrackerResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  readonly body: unknown;
}

export interface TrackerTransport<Request> {
  /** The site or organisation the transport talks to, for messages ("https://x.atlassian.net"). */
  readonly site: string;
  /** Who is asking, for messages ("user@example.com"; "the Forge app"). */
  readonly principal: string;
  /**
   * Sends one request. When `signal` aborts (the client's timeout, or its caller gave up), the transport cancels
   * the request for real, closing its connection, and rejects with `signal.reason`. A transport whose HTTP stack
   * cannot cancel says so where it is made, and settles only when the request did: the client holds the
   * request's concurrency slot until the returned promise settles, so a request left running still counts.
   */
  send(request: Request, signal?: AbortSignal): Promise<TrackerResponse>;
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
