import type { RequestKind } from './requests';

/**
 * Faults of a simulated Azure DevOps: throttling (blocked with 429, or delayed: a 200 that carries `Retry-After`),
 * blips, a hard failure and latency. Request numbers count from 1 since the faults were set (at start or by
 * `setFaults`), over authenticated requests; a rule with `kinds` counts only requests of those kinds.
 */

export interface BurstRule {
  /** A burst starts at every N-th request (N, 2N, 3N...). */
  every?: number;
  /** ...or at these request numbers. */
  at?: readonly number[];
  /** Requests answered with the fault per burst (default 1). */
  burst?: number;
  /** Only requests of these kinds are counted and hit (default: all). */
  kinds?: readonly RequestKind[];
}

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
  latencyMs?: number | Partial<Record<RequestKind | 'default', number>> | Record<string, number>;
}

export type FaultDecision =
  | { kind: '429'; retryAfterSeconds: number; delaySeconds: number; resource: string }
  | { kind: 'delayed'; retryAfterSeconds: number; delaySeconds: number; resource: string; holdMs: number }
  | { kind: '503'; retryAfterSeconds: number }
  | { kind: '500' | '502' }
  | { kind: 'hard-failure' };

function hit(n: number, rule: BurstRule): boolean {
  const burst = Math.max(1, rule.burst ?? 1);
  if (rule.at) for (const a of rule.at) if (n >= a && n < a + burst) return true;
  if (rule.every !== undefined && rule.every > 0 && n >= rule.every && n % rule.every < burst) return true;
  return false;
}

/** Counts requests and decides which ones a fault answers. */
export class FaultPlan {
  private total = 0;
  private readonly counters = new Map<string, number>();

  constructor(readonly faults: AzureDevOpsFaults = {}) {}

  decide(kind: RequestKind): FaultDecision | null {
    this.total += 1;
    const f = this.faults;
    const tick = (name: string, rule: BurstRule | undefined): boolean => {
      if (!rule || (rule.kinds && !rule.kinds.includes(kind))) return false;
      const n = (this.counters.get(name) ?? 0) + 1;
      this.counters.set(name, n);
      return hit(n, rule);
    };
    // Every rule counts the request, whether or not an earlier one answers it.
    const blocked = tick('rateLimit', f.rateLimit);
    const delayed = tick('delayed', f.delayed);
    const unavailable = tick('unavailable', f.unavailable);
    const error = tick('serverError', f.serverError);
    if (f.failFrom !== undefined && this.total >= f.failFrom) return { kind: 'hard-failure' };
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
    const l = this.faults.latencyMs;
    if (l === undefined) return 0;
    if (typeof l === 'number') return l;
    const table = l as Record<string, number | undefined>;
    let prefix: string | undefined;
    for (const key of Object.keys(table)) {
      if (key.startsWith('/') && path.startsWith(key) && (prefix === undefined || key.length > prefix.length)) prefix = key;
    }
    return (prefix !== undefined ? table[prefix] : undefined) ?? table[kind] ?? table.default ?? 0;
  }
}
