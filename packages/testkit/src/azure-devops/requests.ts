import { type RecordedRequest, RequestLog as SharedRequestLog } from '../http-sim/request-log';

/** What the simulated Azure DevOps recorded about each request, for tests that assert how a sync talks to it. */

export type RequestKind =
  /** `OPTIONS _apis/{area}`, `GET _apis/ResourceAreas`, `GET _apis/connectionData`: route discovery. */
  | 'location'
  | 'projects'
  | 'teams'
  | 'wiql'
  | 'workitemsbatch'
  | 'workitems'
  | 'reportingRevisions'
  | 'revisions'
  | 'updates'
  | 'types'
  | 'states'
  | 'fields'
  | 'classificationNodes'
  | 'iterations'
  | 'iterationWorkItems'
  | 'teamsettings'
  | 'teamfieldvalues'
  | 'other';

export interface RequestRecord extends RecordedRequest<RequestKind> {
  /** The path after the organisation (`/SIM/_apis/wit/wiql`), as sent (not decoded). */
  readonly path: string;
  /** The api-version the request asked for (Accept header or query), if any. */
  readonly apiVersion?: string;
}

export class RequestLog extends SharedRequestLog<RequestKind, RequestRecord> {}
