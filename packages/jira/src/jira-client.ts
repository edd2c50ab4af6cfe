import { type ResilientClientOptions, ResilientClient } from '@agile-kpi/tracker-client';
import type { z } from 'zod';
import { JiraError, hourlyLimitError, httpError } from './jira-error';
import type { JiraRequest, JiraResponse, JiraTransport } from './transport';

export { DEFAULT_RETRY, retryAfterMs } from '@agile-kpi/tracker-client';
export type { RetryPolicy, ClientStats } from '@agile-kpi/tracker-client';
export type JiraClientOptions = ResilientClientOptions<JiraRequest>;
export type { ClientEvents } from '@agile-kpi/tracker-client';

/**
 * Every Jira call goes through here: the shared resilient client (bounded concurrency, timeouts, Retry-After,
 * back-off with jitter) with Jira's error messages, plus JSON shape checks at the edge. A 429 of Jira's hourly
 * quota whose wait outlasts what the caller can wait fails at once with its reset time ({@link hourlyLimitError}).
 */
export class JiraClient extends ResilientClient<JiraRequest> {
  constructor(transport: JiraTransport, options: JiraClientOptions = {}) {
    super(
      transport,
      {
        http: (status, body, ctx, asked) => {
          const err = httpError(status, body, ctx);
          return asked !== undefined && (status === 429 || status === 503)
            ? new JiraError(err.kind, `${err.message} Jira asked us to wait ${Math.ceil(asked / 1000)} s.`, err.details)
            : err;
        },
        // Jira's hourly quota used up: no retry helps before the next hour, so the caller hears it at once.
        exhausted: (status, headers, asked, ctx, now) => (status === 429 ? hourlyLimitError(headers, asked, ctx, now) : undefined),
        network: (failure, ctx, timeoutMs) =>
          new JiraError(
            'network',
            `could not reach Jira at ${ctx.site} to ${ctx.what} (${failure.kind === 'timeout' ? `no answer within ${Math.round(timeoutMs / 1000)} s` : failure.message}); check the URL and the network`,
            { path: ctx.path },
            { cause: failure },
          ),
      },
      options,
    );
  }

  /** GET a JSON resource and check its shape. `what` completes "could not ...": "read board 42". */
  async get<S extends z.ZodType>(path: string, query: JiraRequest['query'], what: string, schema: S): Promise<{ body: z.output<S>; response: JiraResponse }> {
    const response = await this.request({ method: 'GET', path, ...(query ? { query } : {}) }, what);
    return { body: this.parse(schema, response.body, what, path), response };
  }

  /** POST JSON and check the answer's shape. */
  async post<S extends z.ZodType>(path: string, body: unknown, what: string, schema: S): Promise<{ body: z.output<S>; response: JiraResponse }> {
    const response = await this.request({ method: 'POST', path, body }, what);
    return { body: this.parse(schema, response.body, what, path), response };
  }

  /** Sends with retries; resolves only with a 2xx response, else throws a JiraError. */
  request(request: JiraRequest, what: string): Promise<JiraResponse> {
    return this.send(request, what, request.path);
  }

  /** Checks a response body against the shape the adapter relies on. */
  parse<S extends z.ZodType>(schema: S, body: unknown, what: string, path: string): z.output<S> {
    const r = schema.safeParse(body);
    if (r.success) return r.data;
    const issue = r.error.issues[0]!;
    const where = issue.path.length ? issue.path.join('.') : '(body)';
    throw new JiraError(
      'unexpected-shape',
      `Jira at ${this.transport.site} answered "${what}" with an unexpected shape (${where}: ${issue.message}); is this a Jira Cloud site and the right URL?`,
      { path },
    );
  }
}
