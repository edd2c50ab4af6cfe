import type { TrackerResponse, TrackerTransport } from '@agile-kpi/tracker-client';

export { TransportFailure } from '@agile-kpi/tracker-client';

export type QueryValue = string | number | boolean | undefined;

/**
 * One Azure DevOps REST call, described as Azure DevOps' own clients describe it: an area, a resource location
 * id (what azure-devops-node-api resolves through location discovery) and its route template (what the
 * extension's REST clients fill in), route values, query and body. Each transport uses what its HTTP stack
 * needs; the adapter never builds URLs itself.
 */
export interface AdoRequest {
  readonly method: 'GET' | 'POST' | 'PATCH';
  readonly area: string;
  readonly locationId: string;
  /** "{project}/{team}/_apis/wit/wiql" (the organisation is the transport's base). */
  readonly routeTemplate: string;
  readonly routeValues: Readonly<Record<string, string | number | undefined>>;
  readonly query?: Readonly<Record<string, QueryValue>>;
  readonly body?: unknown;
  /** "7.1" or a preview version like "7.1-preview.2". */
  readonly apiVersion: string;
}

export type AdoResponse = TrackerResponse;
export type AdoTransport = TrackerTransport<AdoRequest>;

/** A route template filled in: "{project}/_apis/wit/workitemsbatch" -> "SIM/_apis/wit/workitemsbatch". */
export function fillRoute(template: string, values: AdoRequest['routeValues']): string {
  return template
    .replace(/\{\*?(\w+)\}/g, (_, name: string) => {
      const v = values[name];
      return v === undefined ? '' : encodeURIComponent(String(v));
    })
    .replace(/\/{2,}/g, '/')
    .replace(/\/$/, '');
}
