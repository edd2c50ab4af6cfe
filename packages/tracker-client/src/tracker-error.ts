/** The trackers an adapter exists for. */
export type TrackerName = 'jira' | 'azure-devops';

/** jira.js' error kinds: what went wrong, in the terms a caller branches on (retry later, fix a setting...). */
export type TrackerErrorKind = 'auth' | 'forbidden' | 'not-found' | 'bad-request' | 'rate-limited' | 'server' | 'network' | 'unexpected-shape';

export interface TrackerErrorDetails {
  /** The final HTTP status, when there was an answer. */
  readonly status?: number;
  /** The path or resource asked for. */
  readonly path?: string;
  /** What the tracker itself said, in its words (its error body's messages), when it said anything. */
  readonly trackerMessage?: string;
}

/**
 * A tracker's failure, classified at the edge. `message` is written for the CLI's user and says what to fix;
 * `trackerMessage` keeps what the tracker said, so that a surface rewording the message for its own users (the
 * Forge app, the extension) can still quote the tracker without reading it back out of the text. Each adapter
 * has its subclass (`JiraError`, `AdoError`) with its tracker's extra details.
 */
export class TrackerError<Details extends TrackerErrorDetails = TrackerErrorDetails> extends Error {
  readonly status: number | undefined;
  readonly trackerMessage: string | undefined;

  constructor(
    readonly tracker: TrackerName,
    readonly kind: TrackerErrorKind,
    message: string,
    readonly details: Details = {} as Details,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'TrackerError';
    this.status = details.status;
    this.trackerMessage = details.trackerMessage;
  }
}
