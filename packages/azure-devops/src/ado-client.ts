import { type ResilientClientOptions, ResilientClient } from '@agile-kpi/tracker-client';
import type { z } from 'zod';
import { AdoError, adoHttpError } from './ado-error';
import type { AdoRoute } from './routes';
import { type AdoRequest, type AdoResponse, type AdoTransport, fillRoute } from './transport';

export type AdoClientOptions = ResilientClientOptions<AdoRequest>;

/** Where a call goes: the organisation's project and team. */
export interface TeamScope {
  readonly project: string;
  readonly team: string;
}

/**
 * Every Azure DevOps call goes through here: the shared resilient client (concurrency, timeouts, Retry-After
 * on 429, 503 and delayed 200s, back-off with jitter), Azure DevOps' error messages, shape checks.
 */
export class AdoClient extends ResilientClient<AdoRequest> {
  constructor(transport: AdoTransport, options: AdoClientOptions = {}) {
    super(
      transport,
      {
        http: (status, body, ctx, asked) => adoHttpError(status, body, ctx, asked),
        network: (failure, ctx, timeoutMs) =>
          new AdoError(
            'network',
            `could not reach Azure DevOps at ${ctx.site} to ${ctx.what} (${failure.kind === 'timeout' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : failure.message}); check the organisation URL and the network`,
            { path: ctx.path },
            { cause: failure },
          ),
      },
      options,
    );
  }

  /** Calls a route and checks the answer's shape. */
  async call<S extends z.ZodType>(
    route: AdoRoute,
    routeValues: AdoRequest['routeValues'],
    schema: S,
    extra: { method?: AdoRequest['method']; query?: AdoRequest['query']; body?: unknown; what?: string } = {},
  ): Promise<{ body: z.output<S>; response: AdoResponse }> {
    const request: AdoRequest = {
      method: extra.method ?? (extra.body !== undefined ? 'POST' : 'GET'),
      area: route.area,
      locationId: route.locationId,
      routeTemplate: route.routeTemplate,
      routeValues,
      apiVersion: route.apiVersion,
      ...(extra.query ? { query: extra.query } : {}),
      ...(extra.body !== undefined ? { body: extra.body } : {}),
    };
    const what = extra.what ?? route.what;
    const path = fillRoute(route.routeTemplate, routeValues);
    const response = await this.send(request, what, path);
    const r = schema.safeParse(response.body);
    if (r.success) return { body: r.data, response };
    const issue = r.error.issues[0]!;
    throw new AdoError(
      'unexpected-shape',
      `Azure DevOps at ${this.transport.site} answered "${what}" with an unexpected shape (${issue.path.join('.') || '(body)'}: ${issue.message}); is this an Azure DevOps organisation URL?`,
      { path },
    );
  }
}
