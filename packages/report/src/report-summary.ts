import type { MetricsReport, TrafficLight } from '@agile-kpi/core';
import { KPI_KEYS, type KpiKey, kpiLight } from '@agile-kpi/presentation';

/** What a report said about one KPI: its light and the figure its change is measured on. */
export interface KpiSnapshot {
  readonly light: TrafficLight | null;
  readonly value: number | null;
  /** What the figure belongs to, when it is only comparable within it (the active sprint's id). */
  readonly context?: string;
}

/**
 * What a sent report said, per team: kept by the sender (the CLI's store, the Forge app's storage) and passed
 * back to the next report, which shows each KPI's change since. Small and JSON, so it survives upgrades.
 */
export interface ReportSummary {
  readonly teamKey: string;
  readonly team: string;
  /** The report's asOf: "change since the report of <its local date>". */
  readonly asOf: string;
  readonly timeZone: string;
  readonly kpis: Readonly<Record<KpiKey, KpiSnapshot>>;
  /** The last closed sprint the report covered (senders use it for "after each sprint closes"). */
  readonly lastClosedSprintId: string | null;
}

/**
 * The figure each KPI's change is measured on: velocity (mean Completed), sprint goal rate, open impediments
 * (what a lead acts on; the light reads resolution time), remaining work in the active sprint (only within the
 * same sprint), backlog score, delivered share of planned release scope, and weekly throughput.
 */
export function kpiFigure(r: MetricsReport, key: KpiKey): KpiSnapshot {
  const light = kpiLight(r, key);
  switch (key) {
    case 'velocity':
      return { light, value: r.velocity.value?.velocity ?? null };
    case 'sprintGoalRate':
      return { light, value: r.sprintGoalRate.value?.rate ?? null };
    case 'impedimentResolutionTime':
      return { light, value: r.impedimentResolutionTime.value?.open ?? null };
    case 'sprintProgress': {
      const p = r.sprintProgress.value;
      return p ? { light, value: p.remaining, context: p.sprintId } : { light, value: null };
    }
    case 'backlogHealth':
      return { light, value: r.backlogHealth.value?.score ?? null };
    case 'releasePredictability':
      return { light, value: r.releasePredictability.value?.predictability ?? null };
    case 'flow':
      return { light, value: r.flow.value?.throughputPerWeek ?? null };
  }
}

/**
 * A team's identity across reports: the tracker, site and board it comes from, else the team's id, so that a
 * board synced into a new store is still the same team.
 */
export function teamKey(r: MetricsReport): string {
  const s = r.source;
  return s ? [s.tracker, s.site ?? '', s.board ?? r.team.id].join('|') : `team|${r.team.id}`;
}

export function reportSummary(r: MetricsReport): ReportSummary {
  const kpis = Object.fromEntries(KPI_KEYS.map((k) => [k, kpiFigure(r, k)])) as Record<KpiKey, KpiSnapshot>;
  const last = r.velocity.details.sprints.filter((s) => s.state === 'closed').at(-1);
  return { teamKey: teamKey(r), team: r.team.name, asOf: r.asOf, timeZone: r.team.timeZone, kpis, lastClosedSprintId: last?.sprintId ?? null };
}

/** A stored summary read back (from a store that may hold anything): undefined unless it has the right shape. */
export function checkSummary(x: unknown): ReportSummary | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const s = x as Partial<ReportSummary>;
  if (typeof s.teamKey !== 'string' || typeof s.asOf !== 'string' || typeof s.kpis !== 'object' || s.kpis === null) return undefined;
  return s as ReportSummary;
}
