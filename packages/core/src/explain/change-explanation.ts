import type { Evidence, EvidenceEvent } from '../result';
import { round } from '../result';

/** The figures whose change can be explained. */
export const EXPLAINED_KPIS = ['velocity', 'cycleTime', 'sprintGoalRate', 'releaseForecast'] as const;
export type ExplainedKpi = (typeof EXPLAINED_KPIS)[number];

/** An item behind a cause, with what it contributed to the cause in the cause's unit. */
export interface CauseItem {
  readonly itemId: string;
  readonly key: string;
  readonly url?: string;
  readonly title?: string;
  /** Points carried over, days spent in a status, points added to the release... (null: unestimated). */
  readonly contribution: number | null;
  /** The history events that make the item part of the cause (a sprint move, an estimate change, a status). */
  readonly events: readonly EvidenceEvent[];
  readonly note?: string;
}

/**
 * One reason the figure moved. A `part` is a share of the change: the parts of an explanation add up to the
 * change (to rounding). A `context` cause is a circumstance with the effect it would have alone (a shorter
 * sprint): it overlaps the parts, which show how that effect came about.
 */
export interface ChangeCause {
  /**
   * What kind of reason: velocity `committed`, `added`, `removed`, `re-estimated`, `carried-over`, `other`,
   * `shorter-sprint`, `longer-sprint`; cycle time `status-time`, `other`; goal rate `sprint-outcome`; release
   * forecast `time-passed`, `work-finished`, `scope-dropped`, `re-estimated`, `scope-added`, `throughput`.
   */
  readonly code: string;
  readonly kind: 'part' | 'context';
  /** Signed effect on the figure, in the explanation's unit. */
  readonly effect: number;
  /** What the cause is about, when the code alone does not say: a status name, a sprint name. */
  readonly subject?: string;
  /** The quantity behind the cause in the period and in the baseline (usual = the baseline's mean). */
  readonly measure?: { readonly now: number; readonly usual: number | null; readonly unit: string; readonly nowItems?: number; readonly usualItems?: number | null };
  /** Facts a reader needs to judge the cause: the rule that decided a sprint, who recorded a verdict, holidays. */
  readonly detail?: Readonly<Record<string, unknown>>;
  /** The items behind the cause, the largest contribution first. */
  readonly items: readonly CauseItem[];
}

/** The stretch of time a figure is read over: a sprint, a few weeks, a forecast's instant. */
export interface ExplainedPeriod {
  /** "SIM Sprint 11", "the 3 sprints before", "2025-06-02 to 2025-06-30". */
  readonly label: string;
  readonly from?: string;
  readonly to?: string;
  readonly sprintId?: string;
  /** Sprints, items or forecasts the figure is read from. */
  readonly size?: number;
}

/**
 * Why a KPI moved between two periods: the figure before and after, and the causes, largest first, each with
 * its items and events. `change` is null (with `reason`) when there is nothing to compare.
 */
export interface ChangeExplanation {
  readonly kpi: ExplainedKpi;
  /** The figure explained: "completed points of the sprint", "mean cycle time", "P85 date". */
  readonly figure: string;
  /** The unit of `before`, `after`, `change` and every cause's `effect`. */
  readonly unit: string;
  readonly period: ExplainedPeriod;
  readonly baseline: ExplainedPeriod;
  /** The figure in the baseline and in the period (a date for the release forecast). */
  readonly before: number | string | null;
  readonly after: number | string | null;
  /** after - before, in `unit`. */
  readonly change: number | null;
  /** Ranked by size: the largest |effect| first; on a tie a context cause comes before the parts it explains. */
  readonly causes: readonly ChangeCause[];
  /** Figures read alongside (the median beside the mean, the items finished beside the points). */
  readonly alongside: readonly { readonly figure: string; readonly unit: string; readonly before: number | string | null; readonly after: number | string | null }[];
  /** Why there is no change to explain ("the first closed sprint: nothing before it to compare with"). */
  readonly reason?: string;
  readonly params: Readonly<Record<string, unknown>>;
}

/** Effects below this (after rounding) are no cause at all. */
const NEGLIGIBLE = 0.005;

/**
 * Causes ranked by size: |effect| descending, a context cause first on a tie (it is the reason behind the
 * part of the same size), then in the order given. Parts with no effect are dropped.
 */
export function rankCauses(causes: readonly ChangeCause[]): ChangeCause[] {
  return causes
    .map((c, i) => ({ c: { ...c, effect: round(c.effect) }, i }))
    .filter(({ c }) => Math.abs(c.effect) >= NEGLIGIBLE)
    .sort((a, b) => Math.abs(b.c.effect) - Math.abs(a.c.effect) || (a.c.kind === b.c.kind ? 0 : a.c.kind === 'context' ? -1 : 1) || a.i - b.i)
    .map(({ c }) => c);
}

/** An evidence row as a cause's item, largest contribution first when sorted with {@link byContribution}. */
export function causeItem(e: Evidence, contribution: number | null = e.contribution ?? null, events: readonly EvidenceEvent[] = e.events ?? []): CauseItem {
  return {
    itemId: e.itemId,
    key: e.key,
    ...(e.url ? { url: e.url } : {}),
    ...(e.title !== undefined ? { title: e.title } : {}),
    contribution,
    events,
    ...(e.note ? { note: e.note } : {}),
  };
}

/** Largest |contribution| first, then by key, so that the order is stable. */
export function byContribution(a: CauseItem, b: CauseItem): number {
  return Math.abs(b.contribution ?? 0) - Math.abs(a.contribution ?? 0) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export function meanOf(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** A sprint chosen by id or by name (names compared without case); the message lists what there is. */
export function pickByIdOrName<T extends { readonly name: string }>(list: readonly T[], id: (t: T) => string, wanted: string, what: string): number {
  const exact = list.findIndex((t) => id(t) === wanted);
  if (exact >= 0) return exact;
  const lower = wanted.trim().toLowerCase();
  const named = list.findIndex((t) => t.name.toLowerCase() === lower);
  if (named >= 0) return named;
  const names = list.map((t) => t.name);
  throw new RangeError(`no ${what} '${wanted}' here: give one of ${names.length ? names.map((n) => `'${n}'`).join(', ') : '(none)'} (a name or an id)`);
}
