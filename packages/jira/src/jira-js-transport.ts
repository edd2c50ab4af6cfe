import { type JiraRequest, type JiraResponse, type JiraTransport, TransportFailure } from './transport';

export interface JiraJsTransportOptions {
  /** Site URL: "https://your-domain.atlassian.net" (or a simulated Jira on loopback). */
  readonly site: string;
  readonly email: string;
  readonly apiToken: string;
  /** Per-request timeout handed to the HTTP client (default 60 s). */
  readonly timeoutMs?: number;
}

/**
 * The CLI's transport: the real jira.js 5.4 client (API-token basic auth, its own query serialisation and
 * HTTP stack). jira.js 5.x runs on Node 20 as CommonJS; 6.x needs Node 22 and is ESM-only, so 5.4 it is.
 * `sendRequestFullResponse` gives status and headers, which the adapter needs for Retry-After.
 */
export function jiraJsTransport(options: JiraJsTransportOptions): JiraTransport {
  const site = options.site.replace(/\/+$/, '');
  // Loaded when a transport is made, not with the package: jira.js is 400 modules, and a command that only
  // reads the store (metrics --offline) should not pay for loading them.
  const { Version3Client } = require('jira.js') as typeof import('jira.js');
  const client = new Version3Client({
    host: site,
    authentication: { basic: { email: options.email, apiToken: options.apiToken } },
    baseRequestConfig: { timeout: options.timeoutMs ?? 60_000, headers: { Accept: 'application/json' } },
  });
  return {
    site,
    principal: options.email,
    async send(request: JiraRequest, signal?: AbortSignal): Promise<JiraResponse> {
      try {
        // jira.js hands the request config to axios as it is; axios closes the connection when `signal` aborts.
        const res = await client.sendRequestFullResponse<unknown>({
          method: request.method,
          url: request.path,
          ...(request.query ? { params: request.query } : {}),
          ...(request.body !== undefined ? { data: request.body } : {}),
          ...(signal ? { signal } : {}),
        });
        return { status: res.status, headers: lowerCaseHeaders(res.headers), body: res.data };
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        const e = err as { response?: { status: number; headers: unknown; data: unknown }; code?: string; message?: string };
        if (e.response) return { status: e.response.status, headers: lowerCaseHeaders(e.response.headers), body: e.response.data };
        const timedOut = e.code === 'ECONNABORTED' || e.code === 'ETIMEDOUT';
        throw new TransportFailure(e.message ?? String(err), timedOut ? 'timeout' : 'network', { cause: err });
      }
    },
  };
}

function lowerCaseHeaders(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers || typeof headers !== 'object') return out;
  const h = headers as { toJSON?: () => Record<string, unknown> };
  const plain = typeof h.toJSON === 'function' ? h.toJSON() : (headers as Record<string, unknown>);
  for (const [k, v] of Object.entries(plain)) {
    if (v !== undefined && v !== null) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
  }
  return out;
}
