import { type AdoRequest, type AdoResponse, type AdoTransport, TransportFailure, fillRoute } from './transport';

/** What `fetch` returns, as far as the adapter reads it. */
export interface FetchLikeResponse {
  readonly status: number;
  readonly headers: { forEach(cb: (value: string, key: string) => void): void };
  text(): Promise<string>;
}

/** The page's fetch: `signal` aborts the request (the connection is closed and fetch rejects with its reason). */
export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body?: string; signal?: AbortSignal }) => Promise<FetchLikeResponse>;

/**
 * The shape the Azure DevOps extension fills: its page knows the organisation URL and gets a token from
 * `SDK.getAccessToken()`; requests are built from the route templates (as azure-devops-extension-api's
 * REST clients do) and sent with the page's fetch. This module stays free of the SDK so the adapter runs
 * anywhere.
 */
export function extensionTransport(orgUrl: string, getToken: () => Promise<string>, fetchLike: FetchLike): AdoTransport {
  const base = orgUrl.replace(/\/+$/, '');
  return {
    site: base,
    principal: 'the extension',
    async send(request: AdoRequest, signal?: AbortSignal): Promise<AdoResponse> {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) params.append(k, String(v));
      params.append('api-version', request.apiVersion);
      const url = `${base}/${fillRoute(request.routeTemplate, request.routeValues)}?${params.toString()}`;
      const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${await getToken()}` };
      if (request.body !== undefined) headers['Content-Type'] = 'application/json';
      signal?.throwIfAborted();
      let res: FetchLikeResponse;
      try {
        res = await fetchLike(url, {
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
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      return { status: res.status, headers: out, body };
    },
  };
}
