import { type BurstRule as SharedBurstRule, FaultCounters, type LatencyTable, latencyFor } from '../http-sim/fault-counters';
import type { RequestKind } from './requests';

/**
 * Faults of a simulated Azure DevOps: throttling (blocked with 429, or delayed: a 200 that carries `Retry-After`),
 * blips, a hard failure and latency. Request numbers count from 1 since the faults were set (at start or by
 * `setFaults`), over authenticated requests; a rule with `kinds` counts only requests of those kinds.
 */

export type BurstRule = SharedBurstRule<RequestKind>;

export interface ThrottleRule extends BurstRule {
  /** `Retry-After` in seconds (default 1). */
  retryAfterSeconds?: number;
  /** `X-RateLimit-Delay` in seconds (default 0.5 for delayed requests, 0 for blocked ones). */
  delaySeconds?: number;
  /** `X-RateLimit-Resource` (default 'ATCPU'). */
  resource?: string;
}

export interface DelayRule extends ThrottleRule {
  /** How long the server really holds a delayed request before answering, in ms (default 0: tests stay fast). */
  holdMs?: number;
}

export interface UnavailableRule extends BurstRule {
  /** `Retry-After` in seconds (default 1). */
  retryAfterSeconds?: number;
}

export interface ServerErrorRule extends BurstRule {
  /** 500 (default) or 502; no `Retry-After`. */
  status?: 500 | 502;
}

export interface AzureDevOpsFaults {
  /** Blocked requests: 429 with `Retry-After`, the `X-RateLimit-*` headers and the TF400733 body. */
  rateLimit?: ThrottleRule;
  /** Delayed requests: the normal answer (200) with `Retry-After` and `X-RateLimit-*` headers. */
  delayed?: DelayRule;
  /** 503 blips with `Retry-After`. */
  unavailable?: UnavailableRule;
  /** 500 (TF400898) / 502 blips without `Retry-After`. */
  serverError?: ServerErrorRule;
  /** Hard failure: every request from this request number on answers 500. */
  failFrom?: number;
  /**
   * Added before every response: a fixed delay, or per request kind / path prefix (keys starting with `/`, matched
   * against the path after the organisation; the longest matching prefix wins over the kind), `default` for the rest.
   */
  latencyMs?: LatencyTable<RequestKind>;
}

export type FaultDecision =
  | { kind: '429'; retryAfterSeconds: number; delaySeconds: number; resource: string }
  | { kind: 'delayed'; retryAfterSeconds: number; delaySeconds: number; resource: string; holdMs: number }
  | { kind: '503'; retryAfterSeconds: number }
  | { kind: '500' | '502' }
  | { kind: 'hard-failure' };

/** Counts requests and decides which ones a fault answers. */
export class FaultPlan {
  private readonly counters = new FaultCounters<RequestKind>();

  constructor(readonly faults: AzureDevOpsFaults = {}) {}

  decide(kind: RequestKind): FaultDecision | null {
    this.counters.next();
    const f = this.faults;
    const tick = (name: string, rule: BurstRule | undefined) => this.counters.tick(name, rule, kind);
    // Every rule counts the request, whether or not an earlier one answers it.
    const blocked = tick('rateLimit', f.rateLimit);
    const delayed = tick('delayed', f.delayed);
    const unavailable = tick('unavailable', f.unavailable);
    const error = tick('serverError', f.serverError);
    if (f.failFrom !== undefined && this.counters.total >= f.failFrom) return { kind: 'hard-failure' };
    if (blocked) {
      const r = f.rateLimit!;
      return { kind: '429', retryAfterSeconds: r.retryAfterSeconds ?? 1, delaySeconds: r.delaySeconds ?? 0, resource: r.resource ?? 'ATCPU' };
    }
    if (unavailable) return { kind: '503', retryAfterSeconds: f.unavailable?.retryAfterSeconds ?? 1 };
    if (error) return { kind: f.serverError?.status === 502 ? '502' : '500' };
    if (delayed) {
      const r = f.delayed!;
      return {
        kind: 'delayed',
        retryAfterSeconds: r.retryAfterSeconds ?? 1,
        delaySeconds: r.delaySeconds ?? 0.5,
        resource: r.resource ?? 'ATCPU',
        holdMs: r.holdMs ?? 0,
      };
    }
    return null;
  }

  latency(kind: RequestKind, path: string): number {
    return latencyFor(this.faults.latencyMs, kind, path);
  }

}
