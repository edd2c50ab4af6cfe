import { type JiraRequest, type JiraResponse, type JiraTransport, TransportFailure } from './transport';

/** What Forge's `api.asApp().requestJira(route, init)` returns: a fetch-like response. */
export interface FetchLikeResponse {
  readonly status: number;
  readonly headers: { forEach(cb: (value: string, key: string) => void): void };
  text(): Promise<string>;
}

/**
 * The shape the Forge app fills: a function that sends a path (with its query string) through
 * `requestJira`. The Forge shell wraps `assumeTrustedRoute(path)` around it; this module stays free of
 * `@forge/*` so the adapter runs anywhere. `init` goes to `requestJira` as it is: @forge/api (8.x) declares
 * `signal` in its RequestInit and passes the init on to the runtime's fetch. Whether Forge's proxy then closes
 * the request it is making to Jira is not documented; if it does not, the request runs to its end and the
 * client keeps its concurrency slot until it has.
 */
export type RequestJira = (
  pathWithQuery: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal },
) => Promise<FetchLikeResponse>;

export function forgeTransport(requestJira: RequestJira, site = 'this Jira site', principal = 'the agile-kpi app'): JiraTransport {
  return {
    site,
    principal,
    async send(request: JiraRequest, signal?: AbortSignal): Promise<JiraResponse> {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (request.body !== undefined) headers['Content-Type'] = 'application/json';
      let res: FetchLikeResponse;
      try {
        res = await requestJira(request.path + queryString(request.query), {
          method: request.method,
          headers,
          ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
          ...(signal ? { signal } : {}),
        });
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        throw new TransportFailure(err instanceof Error ? err.message : String(err), 'network', { cause: err });
      }
      const out: Record<string, string> = {};
      res.headers.forEach((v, k) => (out[k.toLowerCase()] = v));
      const text = await res.text().catch((err: unknown) => {
        throw signal?.aborted ? signal.reason : err;
      });
      return { status: res.status, headers: out, body: parseBody(text) };
    },
  };
}

/** Query string as jira.js builds it: arrays comma-joined, undefined left out. */
export function queryString(query: JiraRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    params.append(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
