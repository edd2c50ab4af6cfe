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
  send(request: Request): Promise<TrackerResponse>;
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
