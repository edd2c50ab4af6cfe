export { TransportFailure } from './transport';
export type { TrackerResponse, TrackerTransport } from './transport';
export { ResilientClient, DEFAULT_RETRY, retryAfterMs } from './resilient-client';
export type { RetryPolicy, ClientEvents, ResilientClientOptions, ClientStats, RequestContext, TrackerErrors } from './resilient-client';
export { commitAll } from './sync-store-port';
export type { StoredDoc, SyncStorePort, ReadStorePort } from './sync-store-port';
export { ChunkedBlobs, MissingPart, keySegment, mapPool, splitJsonText } from './chunked-blobs';
export type { BlobBackend, BlobHead, BlobLayout, ChunkHead } from './chunked-blobs';
