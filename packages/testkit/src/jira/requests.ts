import { type RecordedRequest, RequestLog as SharedRequestLog } from '../http-sim/request-log';

/** What the simulated Jira recorded about each request, for tests that assert how a sync talks to Jira. */

export type RequestKind =
  | 'myself'
  | 'serverInfo'
  | 'board'
  | 'configuration'
  | 'filter'
  | 'sprint'
  | 'version'
  | 'project'
  | 'field'
  | 'status'
  | 'issuetype'
  | 'search'
  | 'count'
  | 'bulkfetch'
  | 'changelog'
  | 'issue'
  | 'velocity'
  | 'notify'
  | 'other';

export type RequestRecord = RecordedRequest<RequestKind>;

export class RequestLog extends SharedRequestLog<RequestKind> {}
