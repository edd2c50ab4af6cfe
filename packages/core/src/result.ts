import type { MetricResults } from './compute-metrics';
import type { DataWarning, ItemId } from './model/types';

/** One event in an item's history that made a number: a status change, an estimate change, a sprint move. */
export interface EvidenceEvent {
  readonly at: string;
  readonly field: 'status' | 'estimate' | 'sprint' | 'release' | 'flagged' | 'labels' | 'created';
  readonly from?: unknown;
  readonly to?: unknown;
  readonly eventId?: string;
}

/**
 * One item behind a number, with its role and contribution (points, hours, days...). Each metric names the roles
 * it gives (`VelocityRole`, `FlowRole`...), so a renderer comparing `role` with a literal is checked.
 */
export interface Evidence<R extends string = string> {
  readonly itemId: ItemId;
  readonly key: string;
  readonly url?: string;
  readonly title?: string;
  /** What the item is to the number: `committed`, `completed`, `removed`, `impediment`, `ready`... */
  readonly role: R;
  readonly contribution?: number | null;
  readonly sprintId?: string;
  readonly releaseId?: string;
  readonly events?: readonly EvidenceEvent[];
  /** Why the item plays this role, when that is not obvious ("not ready: unestimated, stale"). */
  readonly note?: string;
}

/** An item (or sprint, release) left out of a number, and why. */
export interface Exclusion {
  readonly id: string;
  readonly key?: string;
  readonly reason: string;
}

export type Warning = DataWarning;

/** The name of a KPI, as `computeMetrics` reports it (`velocity`, `backlogHealth`...): a misspelt one is a type error. */
export type MetricName = keyof MetricResults;

/**
 * The shape of every metric's answer: the value (or `null` and the reason), its unit, the items and
 * events behind it, what was left out and why, data-quality warnings, and every parameter used.
 * Each metric declares `P`, the parameters it publishes, and `R`, the roles of its evidence: renderers read
 * them without casting. `P` is a type alias (not an interface), so every result stays a plain `MetricResult<V, D>`.
 */
export interface MetricResult<V, D = undefined, P extends object = Readonly<Record<string, unknown>>, R extends string = string> {
  readonly metric: MetricName;
  readonly value: V | null;
  /** Why `value` is null ("no closed sprint yet"). */
  readonly reason?: string;
  readonly unit: string;
  readonly evidence: readonly Evidence<R>[];
  readonly excluded: readonly Exclusion[];
  readonly warnings: readonly Warning[];
  readonly params: P;
  /** The breakdown a chart draws (per sprint, per release, per day), each part with its own evidence. */
  readonly details: D;
}

export type TrafficLight = 'green' | 'amber' | 'red';

/** Collects warnings once each (the same problem met by two metrics is one warning per metric). */
export class WarningSink {
  private readonly seen = new Set<string>();
  readonly list: Warning[] = [];

  add(w: Warning): void {
    const k = `${w.code}|${w.itemId ?? ''}|${w.sprintId ?? ''}|${w.releaseId ?? ''}|${w.message}`;
    if (this.seen.has(k)) return;
    this.seen.add(k);
    this.list.push(w);
  }
}

/** Rounds for display-stable output (results are JSON; 1e-9 noise makes golden tests brittle). */
export function round(x: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
