import type { MetricsReport, TrafficLight } from '@agile-kpi/core';
import { KPI_KEYS, type KpiKey, kpiHeadlines, kpiLights, num, pct } from '@agile-kpi/presentation';

/** A team as the portfolio lists it: its figures, or why it has none. */
export interface PortfolioTeamInput {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly tracker: 'jira' | 'azure-devops';
  readonly lastSyncAt: string | null;
  readonly report: MetricsReport | null;
  /** Why there is no report (never synced, a sync or a computation that failed). */
  readonly problem?: string;
}

/** One KPI of one team: the figure the table sorts by, as it reads, its light and its headline. */
export interface PortfolioCell {
  readonly figure: number | null;
  readonly text: string;
  readonly light: TrafficLight | null;
  readonly headline: string;
}

export interface PortfolioRow {
  readonly id: string;
  readonly name: string;
  readonly tags: readonly string[];
  readonly tracker: 'jira' | 'azure-devops';
  readonly lastSyncAt: string | null;
  readonly asOf: string | null;
  readonly problem: string | null;
  readonly kpis: Readonly<Record<KpiKey, PortfolioCell>> | null;
  /** Items finished per week over the flow window, oldest first: the team's trend, in a unit every team shares. */
  readonly throughputWeeks: readonly number[];
  /** Velocity's least-squares slope per sprint, in the team's own unit (points or hours): its sign is the trend. */
  readonly velocityTrend: number | null;
  /** Sprints whose goal was met, of those decided (met, partly, missed): what the organisation's goal rate pools. */
  readonly goals: { readonly met: number; readonly decided: number } | null;
}

/**
 * The organisation's roll-ups, only where adding teams up means something: items finished per week add up; goal
 * rates pool their sprints (met of decided); predictability and backlog health are each team's own ratio or
 * score, so the organisation gets their median. Velocity has none: story points are each team's own scale.
 */
export interface PortfolioRollup {
  readonly teams: number;
  readonly withFigures: number;
  readonly throughputPerWeek: number | null;
  readonly sprintGoalRate: { readonly rate: number; readonly met: number; readonly decided: number } | null;
  readonly releasePredictabilityMedian: number | null;
  readonly backlogHealthMedian: number | null;
  readonly lights: Readonly<Record<TrafficLight, number>>;
}

export interface Portfolio {
  readonly rows: readonly PortfolioRow[];
  readonly rollup: PortfolioRollup;
}

/** What each KPI's figure is in the table: one number a row sorts by, and how it reads. */
function cell(r: MetricsReport, k: KpiKey): { figure: number | null; text: string } {
  switch (k) {
    case 'velocity': {
      const v = r.velocity.value;
      return v ? { figure: v.velocity, text: `${num(v.velocity)} ${r.velocity.unit}` } : none();
    }
    case 'sprintGoalRate': {
      const v = r.sprintGoalRate.value;
      return v ? { figure: v.rate, text: pct(v.rate) } : none();
    }
    case 'impedimentResolutionTime': {
      const v = r.impedimentResolutionTime.value?.workingHours;
      return v ? { figure: v.median, text: `${num(v.median)} h` } : none();
    }
    case 'sprintProgress': {
      const v = r.sprintProgress.value;
      return v && v.scope > 0 ? { figure: v.completed / v.scope, text: `${num(v.completed)} of ${num(v.scope)}` } : none();
    }
    case 'backlogHealth': {
      const v = r.backlogHealth.value;
      return v ? { figure: v.score, text: `${num(v.score)}/100` } : none();
    }
    case 'releasePredictability': {
      const v = r.releasePredictability.value;
      return v && v.predictability !== null ? { figure: v.predictability, text: pct(v.predictability) } : none();
    }
    case 'flow': {
      const v = r.flow.value;
      return v ? { figure: v.throughputPerWeek, text: `${num(v.throughputPerWeek)}/wk` } : none();
    }
  }
}

const none = () => ({ figure: null, text: '—' });

/** A team's row: each KPI's figure, light and headline from its report (or why it has none). */
export function portfolioRow(t: PortfolioTeamInput): PortfolioRow {
  const r = t.report;
  const headlines = r ? kpiHeadlines(r) : undefined;
  const lights = r ? kpiLights(r) : undefined;
  const g = r?.sprintGoalRate.value;
  return {
    id: t.id,
    name: t.name,
    tags: t.tags,
    tracker: t.tracker,
    lastSyncAt: t.lastSyncAt,
    asOf: r?.asOf ?? null,
    problem: t.problem ?? null,
    kpis: r ? (Object.fromEntries(KPI_KEYS.map((k) => [k, { ...cell(r, k), light: lights![k], headline: headlines![k] }])) as Record<KpiKey, PortfolioCell>) : null,
    throughputWeeks: r?.flow.value ? r.flow.details.weeks.map((w) => w.finished) : [],
    velocityTrend: r?.velocity.value?.trend ?? null,
    goals: g ? { met: g.met, decided: g.met + g.partly + g.missed } : null,
  };
}

/** Every team's row, in the order given, and the organisation's roll-ups. */
export function portfolio(teams: readonly PortfolioTeamInput[]): Portfolio {
  return portfolioOfRows(teams.map(portfolioRow));
}

/** The roll-ups of rows already made (the server keeps each team's row until its next sync). */
export function portfolioOfRows(rows: readonly PortfolioRow[]): Portfolio {
  const figures = (k: KpiKey) => rows.flatMap((r) => (r.kpis && r.kpis[k].figure !== null ? [r.kpis[k].figure!] : []));
  const throughput = figures('flow');
  const met = rows.reduce((a, r) => a + (r.goals?.met ?? 0), 0);
  const decided = rows.reduce((a, r) => a + (r.goals?.decided ?? 0), 0);
  const lights: Record<TrafficLight, number> = { green: 0, amber: 0, red: 0 };
  for (const row of rows) for (const c of Object.values(row.kpis ?? {})) if (c.light) lights[c.light]++;
  return {
    rows,
    rollup: {
      teams: rows.length,
      withFigures: rows.filter((r) => r.kpis !== null).length,
      throughputPerWeek: throughput.length ? round(throughput.reduce((a, x) => a + x, 0), 2) : null,
      sprintGoalRate: decided > 0 ? { rate: round(met / decided, 3), met, decided } : null,
      releasePredictabilityMedian: median(figures('releasePredictability')),
      backlogHealthMedian: median(figures('backlogHealth')),
      lights,
    },
  };
}

/** The median of a list (the mean of the middle two for an even count), rounded to 3 decimals; null for none. */
export function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return round(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2, 3);
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Which way a table sorts, and by what: a KPI's figure or the team's name. */
export type PortfolioSort = { readonly by: KpiKey | 'name'; readonly dir: 'asc' | 'desc' };

/** Rows with a tag (all when none is given), sorted; teams without the figure last whichever the direction. */
export function filterAndSort(rows: readonly PortfolioRow[], tag: string | undefined, sort: PortfolioSort): PortfolioRow[] {
  const kept = tag ? rows.filter((r) => r.tags.includes(tag)) : [...rows];
  const sign = sort.dir === 'asc' ? 1 : -1;
  return kept.sort((a, b) => {
    if (sort.by === 'name') return sign * a.name.localeCompare(b.name);
    const x = a.kpis?.[sort.by].figure ?? null;
    const y = b.kpis?.[sort.by].figure ?? null;
    if (x === null || y === null) return x === y ? a.name.localeCompare(b.name) : x === null ? 1 : -1;
    return sign * (x - y) || a.name.localeCompare(b.name);
  });
}
