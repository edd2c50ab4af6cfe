import type { z } from 'zod';
import { JiraError, httpError } from './jira-error';
import { type JiraRequest, type JiraResponse, type JiraTransport, TransportFailure } from './transport';

export interface RetryPolicy {
  /** Retries after 429 / 503 (Jira asks us to wait; storms can be long). */
  readonly rateLimitRetries: number;
  /** Retries after 5xx blips and network failures. */
  readonly failureRetries: number;
  /** First back-off delay; doubles per attempt (Atlassian: about 5 s). */
  readonly baseDelayMs: number;
  /** Back-off ceiling (Atlassian: about 30 s). */
  readonly maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the error says when to come back. */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  rateLimitRetries: 8,
  failureRetries: 3,
  baseDelayMs: 5_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/** What the client reports while it works: a progress bar and the benchmarks read it. */
export interface ClientEvents {
  onResponse?(request: JiraRequest, status: number, ms: number): void;
  onWait?(ms: number, reason: 'rate-limit' | 'server' | 'network'): void;
}

export interface JiraClientOptions {
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** A request without an answer after this long is abandoned and retried (default 60 s). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Injected for tests: waits without real time. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  readonly events?: ClientEvents;
}

export interface ClientStats {
  requests: number;
  retries: number;
  rateLimited: number;
  waitedMs: number;
}

/**
 * Every Jira call goes through here: bounded concurrency, a timeout per request, `Retry-After` honoured on
 * 429 and 503 (and every request pauses while Jira asks us to wait), exponential back-off with 0.7-1.3 jitter
 * on 5xx blips and network failures (bounded), and a classified {@link JiraError} naming what to fix.
 */
export class JiraClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, waitedMs: 0 };
  private readonly retry: RetryPolicy;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  /** While Jira has asked us to wait, every request awaits this gate. */
  private pauseGate: Promise<void> | null = null;

  constructor(
    readonly transport: JiraTransport,
    private readonly options: JiraClientOptions = {},
  ) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.random = options.random ?? Math.random;
  }

  get site(): string {
    return this.transport.site;
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
  async request(request: JiraRequest, what: string): Promise<JiraResponse> {
    const ctx = { site: this.transport.site, principal: this.transport.principal, what, path: request.path };
    let rateLimitTries = 0;
    let failureTries = 0;
    for (;;) {
      if (this.pauseGate) await this.pauseGate;
      let response: JiraResponse;
      const started = Date.now();
      try {
        response = await this.withSlot(() => this.withTimeout(this.transport.send(request)));
      } catch (err) {
        if (!(err instanceof TransportFailure)) throw err;
        if (failureTries >= this.retry.failureRetries) {
          throw new JiraError(
            'network',
            `could not reach Jira at ${ctx.site} to ${what} (${err.kind === 'timeout' ? `no answer within ${Math.round(this.timeoutMs / 1000)} s` : err.message}); check the URL and the network`,
            { path: request.path },
            { cause: err },
          );
        }
        await this.backoff(failureTries++, 'network');
        continue;
      }
      this.stats.requests++;
      this.options.events?.onResponse?.(request, response.status, Date.now() - started);
      const status = response.status;
      if (status >= 200 && status < 300) return response;
      if (status === 429 || status === 503) {
        if (status === 429) this.stats.rateLimited++;
        const asked = retryAfterMs(response.headers, Date.now());
        if (rateLimitTries >= this.retry.rateLimitRetries || (asked !== undefined && asked > this.retry.maxRetryAfterMs)) {
          const err = httpError(status, response.body, ctx);
          if (asked !== undefined) {
            throw new JiraError(err.kind, `${err.message} Jira asked us to wait ${Math.ceil(asked / 1000)} s.`, err.details);
          }
          throw err;
        }
        rateLimitTries++;
        this.stats.retries++;
        if (asked !== undefined) {
          this.pause(asked);
          this.options.events?.onWait?.(asked, 'rate-limit');
          this.stats.waitedMs += asked;
        } else {
          await this.backoff(rateLimitTries - 1, 'rate-limit');
        }
        continue;
      }
      if (status >= 500 && failureTries < this.retry.failureRetries) {
        await this.backoff(failureTries++, 'server');
        continue;
      }
      throw httpError(status, response.body, ctx);
    }
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

  private async backoff(attempt: number, reason: 'rate-limit' | 'server' | 'network'): Promise<void> {
    const base = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    const ms = Math.round(base * (0.7 + 0.6 * this.random()));
    this.stats.retries += reason === 'rate-limit' ? 0 : 1;
    this.stats.waitedMs += ms;
    this.options.events?.onWait?.(ms, reason);
    await this.sleep(ms);
  }

  private pause(ms: number): void {
    if (this.pauseGate) return;
    this.pauseGate = this.sleep(ms).then(() => {
      this.pauseGate = null;
    });
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inFlight >= this.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
    this.inFlight++;
    try {
      return await fn();
    } finally {
      this.inFlight--;
      this.queue.shift()?.();
    }
  }

  private withTimeout<T>(p: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new TransportFailure(`no answer within ${this.timeoutMs} ms`, 'timeout')), this.timeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(headers: Readonly<Record<string, string>>, nowMs: number): number | undefined {
  const v = headers['retry-after'];
  if (v === undefined) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : undefined;
}
