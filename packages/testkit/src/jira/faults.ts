import { type BurstRule as SharedBurstRule, FaultCounters, type LatencyTable, latencyFor } from '../http-sim/fault-counters';
import type { RequestKind } from './requests';

/**
 * Faults of a simulated Jira: rate limiting, blips, a hard failure and latency. Request numbers count from 1 since
 * the faults were set (at start or by `setFaults`); a rule with `kinds` counts only requests of those kinds.
 */

export type BurstRule = SharedBurstRule<RequestKind>;

export interface RateLimitRule extends BurstRule {
  /** `Retry-After` in seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface UnavailableRule extends BurstRule {
  /** `Retry-After` in seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface ServerErrorRule extends BurstRule {
  /** 500 (default) or 502; no `Retry-After`. */
  status?: 500 | 502;
}

export interface JiraFaults {
  /** 429 bursts with `Retry-After`, `X-RateLimit-Reset`, `X-RateLimit-Remaining: 0`, `X-RateLimit-NearLimit: true`. */
  rateLimit?: RateLimitRule;
  /** 503 blips with `Retry-After`. */
  unavailable?: UnavailableRule;
  /** 500 / 502 blips without `Retry-After`. */
  serverError?: ServerErrorRule;
  /** Hard failure: every request from this request number on answers 500. */
  failFrom?: number;
  /**
   * Added before every response: a fixed delay, or per request kind / path prefix (keys starting with `/`, the
   * longest matching prefix wins over the kind), `default` for the rest.
   */
  latencyMs?: LatencyTable<RequestKind>;
}

export type FaultDecision =
  | { kind: '429'; retryAfterSeconds: number }
  | { kind: '503'; retryAfterSeconds: number }
  | { kind: '500' | '502' }
  | { kind: 'hard-failure' };

/** Counts requests and decides which ones a fault answers. */
export class FaultPlan {
  private readonly counters = new FaultCounters<RequestKind>();

  constructor(readonly faults: JiraFaults = {}) {}

  decide(kind: RequestKind): FaultDecision | null {
    this.counters.next();
    const f = this.faults;
    const tick = (name: string, rule: BurstRule | undefined) => this.counters.tick(name, rule, kind);
    // Every rule counts the request, whether or not an earlier one answers it.
    const rate = tick('rateLimit', f.rateLimit);
    const unavailable = tick('unavailable', f.unavailable);
    const error = tick('serverError', f.serverError);
    if (f.failFrom !== undefined && this.counters.total >= f.failFrom) return { kind: 'hard-failure' };
    if (rate) return { kind: '429', retryAfterSeconds: f.rateLimit?.retryAfterSeconds ?? 1 };
    if (unavailable) return { kind: '503', retryAfterSeconds: f.unavailable?.retryAfterSeconds ?? 1 };
    if (error) return { kind: f.serverError?.status === 502 ? '502' : '500' };
    return null;
  }

  latency(kind: RequestKind, path: string): number {
    return latencyFor(this.faults.latencyMs, kind, path);
  }

}
