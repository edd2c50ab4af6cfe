import type { IHttpClientResponse, IRequestHandler } from 'azure-devops-node-api/interfaces/common/VsoBaseInterfaces';
import { type AdoRequest, type AdoResponse, type AdoTransport, TransportFailure } from './transport';

export interface NodeApiTransportOptions {
  /** Organisation URL: "https://dev.azure.com/your-org" (or a simulated Azure DevOps on loopback). */
  readonly orgUrl: string;
  /** Personal access token with Work Items (Read). */
  readonly pat: string;
  /** Per-request timeout handed to the HTTP client (default 60 s). */
  readonly timeoutMs?: number;
}

/**
 * The CLI's transport: the real azure-devops-node-api 17 client. It resolves every route the way the library
 * does (location discovery: OPTIONS on the area, then the resource's route template), authenticates with the
 * PAT, and sends the api-version in the Accept header. The library's typed methods hide status and headers
 * (and do not retry 429s), so the request goes through its HTTP client and the adapter keeps control.
 *
 * Cancellation: the library's HTTP client (typed-rest-client 3) takes no AbortSignal, but it lets a request
 * handler edit each request's `http.RequestOptions` as it prepares them, and Node's `http.request` aborts on
 * `options.signal`. The handler below adds the signal of the request being sent; the client prepares a request
 * synchronously when `request()` is called, so the signal cannot reach another request (were a later version to
 * prepare it later, the signal would simply not be applied: no cancellation, and the client's slot stays taken
 * until the request has ended). Location discovery
 * (the first request of an area) goes through the library's own calls and cannot be cancelled: it ends on its
 * socket timeout, and the request waits for it.
 */
export function nodeApiTransport(options: NodeApiTransportOptions): AdoTransport {
  const orgUrl = options.orgUrl.replace(/\/+$/, '');
  // Loaded when a transport is made, not with the package: a command that only reads the store should not pay
  // for loading the library (and the extension's browser build never makes one).
  const { WebApi, getPersonalAccessTokenHandler } = require('azure-devops-node-api') as typeof import('azure-devops-node-api');
  const pat = getPersonalAccessTokenHandler(options.pat);
  let signalOfNext: AbortSignal | undefined;
  const handler: IRequestHandler = {
    prepareRequest(requestOptions) {
      pat.prepareRequest(requestOptions);
      if (signalOfNext) requestOptions.signal = signalOfNext;
      signalOfNext = undefined;
    },
    canHandleAuthentication: (response) => pat.canHandleAuthentication(response),
    handleAuthentication: (client, info, body) => pat.handleAuthentication(client, info, body),
  };
  const api = new WebApi(orgUrl, handler, { socketTimeout: options.timeoutMs ?? 60_000 });
  // The library caches an area's routes only once its OPTIONS request has answered: requests to one area
  // started together would each discover it again. The first request of an area goes alone.
  const discovered = new Map<string, Promise<unknown>>();
  return {
    site: orgUrl,
    principal: 'the personal access token',
    async send(request: AdoRequest, signal?: AbortSignal): Promise<AdoResponse> {
      try {
        const query = Object.fromEntries(Object.entries(request.query ?? {}).filter(([, v]) => v !== undefined));
        // A copy: the library writes `area` and `resource` into the route values it is given.
        const first = discovered.get(request.area);
        if (first) await first.catch(() => undefined);
        const resolving = api.vsoClient.getVersioningData(request.apiVersion, request.area, request.locationId, { ...request.routeValues }, query);
        if (!first) {
          discovered.set(request.area, resolving);
          resolving.catch(() => discovered.delete(request.area));
        }
        const versioning = await resolving;
        const url = versioning.requestUrl;
        if (!url) throw new TransportFailure(`no route for ${request.area}/${request.locationId} at ${orgUrl}`, 'network');
        const headers: Record<string, string> = { Accept: `application/json;api-version=${versioning.apiVersion ?? request.apiVersion}` };
        let data = '';
        if (request.body !== undefined) {
          headers['Content-Type'] = 'application/json';
          data = JSON.stringify(request.body);
        }
        signal?.throwIfAborted();
        signalOfNext = signal;
        const sending = api.rest.client.request(request.method, url, data, headers);
        signalOfNext = undefined;
        const res = await sending;
        const text = await readBody(res, signal);
        const out: Record<string, string> = {};
        for (const [k, v] of Object.entries(res.message.headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : String(v);
        return { status: res.message.statusCode ?? 0, headers: out, body: parseBody(text) };
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (err instanceof TransportFailure) throw err;
        const e = err as { statusCode?: number; result?: unknown; message?: string; code?: string };
        // Location discovery goes through the library's REST client, which throws on HTTP errors.
        if (typeof e.statusCode === 'number') return { status: e.statusCode, headers: {}, body: e.result ?? e.message };
        const timedOut = e.code === 'ETIMEDOUT' || e.code === 'ESOCKETTIMEDOUT' || /timeout/i.test(e.message ?? '');
        throw new TransportFailure(e.message ?? String(err), timedOut ? 'timeout' : 'network', { cause: err });
      }
    },
  };
}

/** The body, or the signal's reason once it aborts: the client's `readBody` never ends on a closed connection. */
function readBody(res: IHttpClientResponse, signal: AbortSignal | undefined): Promise<string> {
  if (!signal) return res.readBody();
  return new Promise<string>((resolve, reject) => {
    const abort = (): void => {
      res.message.destroy();
      reject(signal.reason);
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    res
      .readBody()
      .finally(() => signal.removeEventListener('abort', abort))
      .then(resolve, reject);
  });
}

function parseBody(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
