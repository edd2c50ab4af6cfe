import { type TrackerResponse, type TrackerTransport, TransportFailure } from './transport';

export interface RetryPolicy {
  /** Retries after 429 / 503 (the tracker asks us to wait; storms can be long). */
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
export interface ClientEvents<Request> {
  onResponse?(request: Request, status: number, ms: number): void;
  onWait?(ms: number, reason: 'rate-limit' | 'server' | 'network'): void;
}

/**
 * How the caller waits. A caller with a deadline (a Forge resolver, a scheduled function) also gives its clock
 * and the deadline: a `Retry-After` that would end after it is never slept into, and a rate limit that only
 * lifts after it (Jira's hourly quota) fails at once with the tracker's own error.
 */
export interface Sleep {
  (ms: number): Promise<void>;
  /** The caller's clock, epoch ms (default `Date.now`). */
  readonly now?: () => number;
  /** No wait may end after this instant (on `now`'s clock). */
  readonly deadlineMs?: number;
}

export interface ResilientClientOptions<Request> {
  /** Requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** A request without an answer after this long is abandoned and retried (default 60 s). */
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Injected for tests (waits without real time) and by callers with a deadline (see {@link Sleep}). */
  readonly sleep?: Sleep;
  /** Jitter source in [0, 1). */
  readonly random?: () => number;
  readonly events?: ClientEvents<Request>;
}

export interface ClientStats {
  requests: number;
  retries: number;
  rateLimited: number;
  waitedMs: number;
}

/** What a failed request was about, for the tracker's error messages. */
export interface RequestContext {
  readonly site: string;
  readonly principal: string;
  /** What was being done, as a phrase completing "could not ...": "read board 42's configuration". */
  readonly what: string;
  /** The path or resource, for details. */
  readonly path: string;
}

/** How a tracker words its failures: each adapter supplies its own messages. */
export interface TrackerErrors {
  /** A final HTTP status that is not success (after retries where they apply). */
  http(status: number, body: unknown, ctx: RequestContext, retryAfterMs?: number): Error;
  /** No answer (network failure or timeout) after the retries. */
  network(failure: TransportFailure, ctx: RequestContext, timeoutMs: number): Error;
  /**
   * A 429 or 503 asking for a wait longer than the caller can wait (the policy's `maxRetryAfterMs`, or the
   * caller's deadline): the tracker's error when no retry within the caller's time can cure it (Jira's hourly
   * quota, used up until the next hour), thrown at once without waiting; undefined to go on as usual.
   */
  exhausted?(status: number, headers: Readonly<Record<string, string>>, retryAfterMs: number, ctx: RequestContext, nowMs: number): Error | undefined;
}

/**
 * Every tracker call goes through here: bounded concurrency, a timeout per request, `Retry-After` honoured on
 * 429 and 503 (every request pauses while the tracker asks us to wait), and also on successful responses
 * (Azure DevOps delays a client that is close to its limit by answering 200 with Retry-After), exponential
 * back-off with 0.7-1.3 jitter on 5xx blips and network failures (bounded), then the tracker's own
 * classified error.
 */
export class ResilientClient<Request> {
  readonly stats: ClientStats = { requests: 0, retries: 0, rateLimited: 0, waitedMs: 0 };
  protected readonly retry: RetryPolicy;
  private readonly concurrency: number;
  protected readonly timeoutMs: number;
  private readonly sleep: Sleep;
  private readonly random: () => number;
  private inFlight = 0;
  private readonly queue: (() => void)[] = [];
  /** While the tracker has asked us to wait, every request awaits this gate. */
  private pauseGate: Promise<void> | null = null;

  constructor(
    readonly transport: TrackerTransport<Request>,
    private readonly errors: TrackerErrors,
    private readonly options: ResilientClientOptions<Request> = {},
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

  /**
   * Sends with retries; resolves only with a 2xx response, else throws the tracker's error. `signal` is the
   * caller giving up: the request in flight is cancelled, no retry follows, and the promise rejects with the
   * signal's reason.
   */
  async send(request: Request, what: string, path: string, signal?: AbortSignal): Promise<TrackerResponse> {
    const ctx: RequestContext = { site: this.transport.site, principal: this.transport.principal, what, path };
    let rateLimitTries = 0;
    let failureTries = 0;
    for (;;) {
      signal?.throwIfAborted();
      if (this.pauseGate) await this.pauseGate;
      signal?.throwIfAborted();
      let response: TrackerResponse;
      const started = Date.now();
      try {
        response = await this.attempt(request, signal);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (!(err instanceof TransportFailure)) throw err;
        if (failureTries >= this.retry.failureRetries) throw this.errors.network(err, ctx, this.timeoutMs);
        await this.backoff(failureTries++, 'network');
        continue;
      }
      this.stats.requests++;
      this.options.events?.onResponse?.(request, response.status, Date.now() - started);
      const status = response.status;
      const asked = retryAfterMs(response.headers, Date.now());
      if (status >= 200 && status < 300) {
        // Delayed but served: slow down before the next request, as the tracker asks.
        if (asked !== undefined && asked > 0) this.pause(Math.min(asked, this.retry.maxRetryAfterMs), 'rate-limit');
        return response;
      }
      if (status === 429 || status === 503) {
        if (status === 429) this.stats.rateLimited++;
        if (asked !== undefined && asked > this.waitLimit()) {
          const exhausted = this.errors.exhausted?.(status, response.headers, asked, ctx, this.now());
          if (exhausted) throw exhausted;
        }
        if (rateLimitTries >= this.retry.rateLimitRetries || (asked !== undefined && asked > this.retry.maxRetryAfterMs)) {
          throw this.errors.http(status, response.body, ctx, asked);
        }
        rateLimitTries++;
        this.stats.retries++;
        if (asked !== undefined) this.pause(asked, 'rate-limit');
        else await this.backoff(rateLimitTries - 1, 'rate-limit');
        continue;
      }
      if (status >= 500 && failureTries < this.retry.failureRetries) {
        await this.backoff(failureTries++, 'server');
        continue;
      }
      throw this.errors.http(status, response.body, ctx);
    }
  }

  private now(): number {
    return this.sleep.now?.() ?? Date.now();
  }

  /** The longest wait this caller can take now: the policy's limit, or less when its deadline is nearer. */
  private waitLimit(): number {
    const deadline = this.sleep.deadlineMs;
    return Math.min(this.retry.maxRetryAfterMs, deadline === undefined ? Number.POSITIVE_INFINITY : deadline - this.now());
  }

  private async backoff(attempt: number, reason: 'rate-limit' | 'server' | 'network'): Promise<void> {
    const base = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** attempt);
    const ms = Math.round(base * (0.7 + 0.6 * this.random()));
    this.stats.retries += reason === 'rate-limit' ? 0 : 1;
    this.stats.waitedMs += ms;
    this.options.events?.onWait?.(ms, reason);
    await this.sleep(ms);
  }

  private pause(ms: number, reason: 'rate-limit'): void {
    if (this.pauseGate) return;
    this.stats.waitedMs += ms;
    this.options.events?.onWait?.(ms, reason);
    this.pauseGate = this.sleep(ms).then(() => {
      this.pauseGate = null;
    });
  }

  /**
   * One try: waits for a slot, sends, and gives up after the timeout or when the caller does, aborting the
   * transport's request. The slot is freed when the transport's promise settles, not when we stop waiting for
   * it: a request still running on the wire counts against the limit until it has really ended.
   */
  private async attempt(request: Request, caller: AbortSignal | undefined): Promise<TrackerResponse> {
    await this.acquire(caller);
    const controller = new AbortController();
    let sending: Promise<TrackerResponse>;
    try {
      sending = this.transport.send(request, controller.signal);
    } catch (err) {
      this.release();
      throw err;
    }
    sending.then(
      () => this.release(),
      () => this.release(),
    );
    return new Promise<TrackerResponse>((resolve, reject) => {
      const stop = (reason: unknown): void => {
        controller.abort(reason);
        reject(reason);
      };
      const timer = setTimeout(() => stop(new TransportFailure(`no answer within ${this.timeoutMs} ms`, 'timeout')), this.timeoutMs);
      const onCallerAbort = (): void => stop(caller!.reason);
      caller?.addEventListener('abort', onCallerAbort, { once: true });
      sending
        .finally(() => {
          clearTimeout(timer);
          caller?.removeEventListener('abort', onCallerAbort);
        })
        .then(resolve, reject);
    });
  }

  /** Takes a slot, waiting in line while all are taken; leaves the line when the caller gives up. */
  private acquire(caller: AbortSignal | undefined): Promise<void> {
    caller?.throwIfAborted();
    if (this.inFlight < this.concurrency) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const granted = (): void => {
        caller?.removeEventListener('abort', leave);
        resolve();
      };
      const leave = (): void => {
        const at = this.queue.indexOf(granted);
        if (at >= 0) this.queue.splice(at, 1);
        reject(caller!.reason);
      };
      this.queue.push(granted);
      caller?.addEventListener('abort', leave, { once: true });
    });
  }

  /** A settled request's slot goes straight to the next in line, so no newcomer can slip in between. */
  private release(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.inFlight--;
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
