/**
 * The counting both simulated trackers' faults share: which request numbers a burst rule hits, counters per
 * rule (a rule with `kinds` counts only requests of those kinds), and latency per kind or path prefix.
 */

export interface BurstRule<K extends string = string> {
  /** A burst starts at every N-th request (N, 2N, 3N...). */
  every?: number;
  /** ...or at these request numbers. */
  at?: readonly number[];
  /** Requests answered with the fault per burst (default 1). */
  burst?: number;
  /** Only requests of these kinds are counted and hit (default: all). */
  kinds?: readonly K[];
}

/** A fixed delay, or per request kind / path prefix (keys starting with `/`), `default` for the rest. */
export type LatencyTable<K extends string> = number | Partial<Record<K | 'default', number>> | Record<string, number>;

export function hits(n: number, rule: BurstRule): boolean {
  const burst = Math.max(1, rule.burst ?? 1);
  if (rule.at) for (const a of rule.at) if (n >= a && n < a + burst) return true;
  if (rule.every !== undefined && rule.every > 0 && n >= rule.every && n % rule.every < burst) return true;
  return false;
}

/** Request numbers since the faults were set: in all, and per rule. */
export class FaultCounters<K extends string> {
  /** Requests counted so far, all kinds. */
  total = 0;
  private readonly counters = new Map<string, number>();

  /** Counts a request (call once per request, before {@link tick}). */
  next(): void {
    this.total += 1;
  }

  /** Counts the request against a rule (when the rule applies to its kind); true when the rule hits it. */
  tick(name: string, rule: BurstRule<K> | undefined, kind: K): boolean {
    if (!rule || (rule.kinds && !rule.kinds.includes(kind))) return false;
    const n = (this.counters.get(name) ?? 0) + 1;
    this.counters.set(name, n);
    return hits(n, rule);
  }
}

/** The latency a request waits: the longest matching path prefix, else its kind, else `default`, else 0. */
export function latencyFor<K extends string>(table: LatencyTable<K> | undefined, kind: K, path: string): number {
  if (table === undefined) return 0;
  if (typeof table === 'number') return table;
  const t = table as Record<string, number | undefined>;
  let prefix: string | undefined;
  for (const key of Object.keys(t)) {
    if (key.startsWith('/') && path.startsWith(key) && (prefix === undefined || key.length > prefix.length)) prefix = key;
  }
  return (prefix !== undefined ? t[prefix] : undefined) ?? t[kind] ?? t['default'] ?? 0;
}
