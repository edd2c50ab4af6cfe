export { TransportFailure } from './transport';
export type { TrackerResponse, TrackerTransport } from './transport';
export { ResilientClient, DEFAULT_RETRY, retryAfterMs } from './resilient-client';
export type { RetryPolicy, ClientEvents, ResilientClientOptions, ClientStats, RequestContext, TrackerErrors } from './resilient-client';
