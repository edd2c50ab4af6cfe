import { type AdoRequest, type AdoResponse, type AdoTransport, TransportFailure } from '@agile-kpi/azure-devops';

/**
 * What the transport needs of azure-devops-extension-api's REST clients: `RestClientBase.beginRequest`
 * (protected there; `sdk-boot.ts` opens it up in subclasses of `WorkItemTrackingRestClient` and
 * `WorkRestClient`). The client fills the route template under its root path (the resource area's location
 * from the host's LocationService), adds the SDK's access token (`Authorization: Bearer`, asking for a fresh
 * one and retrying once on a 401) and Azure DevOps' own headers, and sends it with the page's fetch.
 */
export interface RawRestClient {
  request(params: RawRequestParams): Promise<RawResponse>;
}

/** `RestClientRequestParams` of azure-devops-extension-api, as far as the transport fills it. */
export interface RawRequestParams {
  readonly routeTemplate: string;
  readonly apiVersion: string;
  readonly routeValues?: Record<string, string | number>;
  readonly queryParams?: Record<string, string | number | boolean>;
  readonly method?: string;
  readonly body?: unknown;
  readonly customHeaders?: Record<string, string>;
  readonly returnRawResponse: true;
}

/** The fetch Response, as far as the transport reads it. */
export interface RawResponse {
  readonly status: number;
  readonly headers: { forEach(cb: (value: string, key: string) => void): void };
  text(): Promise<string>;
}

/** The page could not get an access token from the host (the SDK's `getAccessToken` failed). */
export class TokenError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TokenError';
  }
}

/**
 * The Azure DevOps adapter's transport in the extension: each request goes through the extension API's REST
 * client of its area (`wit` -> WorkItemTrackingRestClient, `work` -> WorkRestClient) with `returnRawResponse`,
 * so that a 2xx answer reaches the adapter's resilient client with its status and headers (a delayed 200's
 * Retry-After slows the sync down as Azure DevOps asks).
 *
 * The extension API throws for any other status (`TFS.WebApi.Exception` with `status`, `responseText` and the
 * parsed `serverError`, but without the response's headers): those become responses with that status, that
 * body and no headers, so the adapter classifies them as it does everywhere; a 429 without its Retry-After
 * is retried with the client's own back-off. A network failure (`TF400893`) is a TransportFailure; a failed
 * token request is a {@link TokenError}, which the client passes through at once.
 *
 * The Accept header names only the api-version: the extension API's default Accept also asks for
 * `enumsAsNumbers` and `msDateFormat`, which would change the shapes the adapter checks.
 */
export function extensionApiTransport(clients: { readonly wit: RawRestClient; readonly work: RawRestClient }, site: string): AdoTransport {
  return {
    site: site.replace(/\/+$/, ''),
    principal: 'your Azure DevOps sign-in',
    async send(request: AdoRequest): Promise<AdoResponse> {
      const client = request.area.toLowerCase() === 'work' ? clients.work : clients.wit;
      const routeValues: Record<string, string | number> = {};
      for (const [k, v] of Object.entries(request.routeValues)) if (v !== undefined) routeValues[k] = v;
      const queryParams: Record<string, string | number | boolean> = {};
      for (const [k, v] of Object.entries(request.query ?? {})) if (v !== undefined) queryParams[k] = v;
      const params: RawRequestParams = {
        routeTemplate: request.routeTemplate,
        apiVersion: request.apiVersion,
        routeValues,
        ...(Object.keys(queryParams).length ? { queryParams } : {}),
        method: request.method,
        ...(request.body !== undefined ? { body: request.body } : {}),
        // Every header is sent as given: a GET would otherwise carry "Content-Type: undefined".
        customHeaders: { Accept: `application/json;api-version=${request.apiVersion}`, 'Content-Type': 'application/json' },
        returnRawResponse: true,
      };
      let res: RawResponse;
      try {
        res = await client.request(params);
      } catch (err) {
        if (err instanceof TokenError) throw err;
        const failed = err as { status?: unknown; responseText?: unknown; serverError?: unknown; name?: unknown; message?: unknown } | null;
        if (failed && typeof failed.status === 'number') {
          return { status: failed.status, headers: {}, body: failed.serverError ?? (typeof failed.responseText === 'string' ? parse(failed.responseText) : undefined) };
        }
        throw new TransportFailure(err instanceof Error ? err.message : String(err), 'network', { cause: err });
      }
      const headers: Record<string, string> = {};
      res.headers.forEach((value, key) => (headers[key.toLowerCase()] = value));
      const body = parse(await res.text());
      // A page on the extension's origin cannot read Date (not a CORS-safelisted header); the adapter reads the
      // organisation's clock from it. A WIQL answer carries the same instant in its body.
      const asOf = (body as { asOf?: unknown } | undefined)?.asOf;
      if (headers['date'] === undefined && typeof asOf === 'string' && !Number.isNaN(Date.parse(asOf))) headers['date'] = new Date(asOf).toUTCString();
      return { status: res.status, headers, body };
    },
  };
}

function parse(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
