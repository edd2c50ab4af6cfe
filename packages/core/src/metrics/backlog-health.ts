import { max, median, quantile } from 'simple-statistics';
import type { HistoryIndex, WorkItemHistory } from '../history/history-index';
import { type Evidence, type Exclusion, type MetricResult, type TrafficLight, type Warning, round } from '../result';
import { DAY_MS, formatInstant, parseInstant } from '../time/instant';
import { countsAs, kindExclusion } from './kind-exclusion';
import { type SprintScope, startedSprintScopes } from './sprint-scope';
import { velocity } from './velocity';
import { type ResolvedOptions, resolveMetricOptions } from '../options/metric-options-schema';

export interface BacklogHealthOptions {
  /** Team velocity to measure ready depth against; default: the velocity metric's value. */
  readonly velocity?: number | null;
  /** Items untouched for this many days are stale (default 90). */
  readonly staleDays?: number;
  /** `top-run`: ready work counted from the top until the first item that is not ready (default);
   *  `all-ready`: every ready item on the backlog. */
  readonly readyDepthMode?: 'top-run' | 'all-ready';
  /** How many sprints' worth of top items must be estimated (default 2). */
  readonly estimatedHorizonSprints?: number;
  /** Closed sprints the growth and the per-sprint throughput are read over (default 3). */
  readonly growthSprints?: number;
}

export interface BacklogComponent {
  readonly name: 'readyDepth' | 'estimatedShare' | 'staleShare' | 'growth';
  readonly value: number | null;
  readonly score: number | null;
  readonly light: TrafficLight | null;
  readonly weight: number;
  readonly thresholds: Readonly<Record<string, number>>;
  readonly reason?: string;
}

export interface BacklogItemReadiness {
  readonly key: string;
  readonly itemId: string;
  readonly rank: string | null;
  readonly estimate: number | null;
  readonly ready: boolean;
  /** Definition of Ready criteria the item misses. */
  readonly missing: readonly ('estimate' | 'description' | 'unblocked' | 'recent-activity')[];
  readonly ageDays: number;
}

export interface BacklogHealthValue {
  /** 0-100, the weighted mean of the component scores that could be computed. */
  readonly score: number;
  readonly light: TrafficLight;
  readonly items: number;
  readonly readyItems: number;
  readonly readyPoints: number;
  /** Sprints of ready work at the top of the backlog. */
  readonly readyDepth: number | null;
  readonly estimatedShare: number | null;
  readonly staleShare: number | null;
  /** Items created / items completed over the growth window. */
  readonly growthRatio: number | null;
  readonly medianAgeDays: number | null;
}

export interface BacklogHealthDetails {
  readonly components: readonly BacklogComponent[];
  /** The backlog in rank order with each item's readiness. */
  readonly backlog: readonly BacklogItemReadiness[];
  readonly age: { readonly medianDays: number; readonly p85Days: number; readonly oldestDays: number; readonly buckets: Readonly<Record<string, number>> } | null;
  readonly growth: readonly { readonly sprintId: string; readonly name: string; readonly created: number; readonly completed: number }[];
}

/** What backlog health publishes in `params`: the options it used, its weights and the limits of its lights. */
export type BacklogHealthParams = {
  readonly asOf: string;
  /** The velocity ready depth divides by; null when the team has none yet. */
  readonly velocity: number | null;
  readonly staleDays: number;
  readonly readyDepthMode: ResolvedOptions<'backlogHealth'>['readyDepthMode'];
  readonly estimatedHorizonSprints: number;
  /** How many items from the top the estimated share read (the next sprints' worth by throughput). */
  readonly topItemsChecked: number;
  readonly growthSprints: number;
  readonly weights: typeof WEIGHTS;
  readonly thresholds: typeof BACKLOG_HEALTH_THRESHOLDS;
  readonly definitionOfReady: readonly string[];
};

/** The roles of its evidence: every backlog item in rank order, ready or not (the note says what is missing). */
export type BacklogHealthRole = 'ready' | 'not-ready';

export type BacklogHealthResult = MetricResult<BacklogHealthValue, BacklogHealthDetails, BacklogHealthParams, BacklogHealthRole>;

const WEIGHTS = { readyDepth: 0.4, estimatedShare: 0.25, staleShare: 0.2, growth: 0.15 } as const;

/**
 * The limits of backlog health's lights, published in its `params` and read by the lights below: one table, so
 * that what a reader is told and what colours a light cannot differ.
 */
export const BACKLOG_HEALTH_THRESHOLDS = {
  readyDepth: { critical: 1, healthyMin: 2, healthyMax: 3, overRefined: 5 },
  estimatedShare: { green: 0.9, amber: 0.7 },
  staleShare: { green: 0.1, amber: 0.25 },
  growth: { green: 1.1, amber: 1.5 },
  score: { green: 75, amber: 50 },
} as const;
const THRESHOLDS = BACKLOG_HEALTH_THRESHOLDS;

const AGE_BUCKETS: readonly [string, number][] = [
  ['<30d', 30],
  ['30-90d', 90],
  ['90-180d', 180],
  ['180-365d', 365],
  ['>365d', Infinity],
];

/**
 * Backlog health: is there enough ready, fresh, estimated work at the top of the backlog?
 *
 * Backlog = items not done at asOf, not in the active sprint, not sub-tasks or epics (bugs per the team's
 * setting), in rank order. Ready (Definition of Ready) = estimated (> 0), described, not flagged or in a
 * blocked status, touched in the last 90 days. Components: **ready depth** = ready estimate from the top
 * (until the first item that is not ready) / velocity, in sprints (healthy 2-3, under 1 critical, above 5
 * over-refined); **estimated share** of the next 2 sprints' worth of items (by the team's item throughput);
 * **stale share**; **growth** = items created / items completed over the last 3 closed sprints. Score 0-100 =
 * weighted mean of the component scores (weights 0.4 / 0.25 / 0.2 / 0.15, renormalised over those that
 * can be computed); traffic lights per component and overall (>= 75 green, >= 50 amber). No score and no light
 * (null, with what is missing) when ready depth cannot be computed or fewer than two components can.
 *
 * @example backlogHealth(index).value?.readyDepth // 1.3 for 13 ready points at the top and velocity 10
 */
export function backlogHealth(index: HistoryIndex, options: BacklogHealthOptions = {}): BacklogHealthResult {
  const { velocity: given, ...chosen } = options;
  const { staleDays, readyDepthMode: mode, estimatedHorizonSprints: horizon, growthSprints } = resolveMetricOptions('backlogHealth', chosen);
  const asOf = index.asOfMs;
  const vel = given !== undefined ? given : velocity(index).value?.velocity ?? null;
  const warnings: Warning[] = [];
  const excluded: Exclusion[] = [];

  const readiness = backlogItems(index, excluded).map((h) => readinessOf(index, h, staleDays));
  const ready = readiness.filter((r) => r.ready);
  const readyPoints = sumEstimates(ready);
  const closed = startedSprintScopes(index).scopes.filter((s) => s.schedule.stateAtAsOf === 'closed').slice(-growthSprints);
  const readyDepth = readyDepthComponent(readiness, mode, vel);
  if (readyDepth.score === null) warnings.push({ code: 'ready-depth-unavailable', message: `ready depth cannot be computed: ${readyDepth.reason}` });
  const { component: estimatedShare, topCount } = estimatedShareComponent(readiness, closed, horizon);
  const staleShare = staleShareComponent(readiness);
  const { component: growth, rows: growthRows } = growthComponent(index, closed);

  const components = [readyDepth, estimatedShare, staleShare, growth];
  const age = ageOf(readiness);
  if (readiness.length === 0) warnings.push({ code: 'empty-backlog', message: 'the backlog is empty: nothing is ready for the next sprints' });
  const evidence: Evidence<BacklogHealthRole>[] = readiness.map((r) => {
    const h = index.get(r.itemId)!;
    return {
      itemId: r.itemId,
      key: r.key,
      ...(h.item.url ? { url: h.item.url } : {}),
      title: h.item.title,
      role: r.ready ? 'ready' : 'not-ready',
      contribution: r.estimate,
      ...(r.ready ? {} : { note: `missing: ${r.missing.join(', ')}` }),
    };
  });
  const params: BacklogHealthParams = {
    asOf: formatInstant(asOf),
    velocity: vel,
    staleDays,
    readyDepthMode: mode,
    estimatedHorizonSprints: horizon,
    topItemsChecked: topCount,
    growthSprints,
    weights: WEIGHTS,
    thresholds: THRESHOLDS,
    definitionOfReady: ['estimated (> 0)', 'described', 'not flagged or blocked', `touched in the last ${staleDays} days`],
  };
  const scored = components.filter((c) => c.score !== null);
  const details = { components, backlog: readiness, age, growth: growthRows };
  const base = { metric: 'backlogHealth' as const, unit: 'score', evidence, excluded, warnings, params, details };
  if (scored.length === 0) {
    return { ...base, value: null, reason: 'no component of backlog health can be computed yet (empty backlog and no closed sprint)' };
  }
  // A score from one component, or without ready depth (the heaviest), reads healthy on a board that is not:
  // an empty backlog with some growth once scored 100/100. No score then; say what is missing.
  if (readyDepth.score === null || scored.length < 2) {
    const missing = components.filter((c) => c.score === null).map((c) => `${c.name}: ${c.reason ?? 'not computable'}`);
    const why = readyDepth.score === null ? 'ready depth cannot be computed' : `only ${scored.length} of ${components.length} components can be computed`;
    return { ...base, value: null, reason: `no score: ${why} (${missing.join('; ')})` };
  }
  const weightSum = scored.reduce((a, c) => a + c.weight, 0);
  const score = round(scored.reduce((a, c) => a + c.score! * c.weight, 0) / weightSum, 1);
  return {
    ...base,
    value: {
      score,
      light: atLeast(score, THRESHOLDS.score),
      items: readiness.length,
      readyItems: ready.length,
      readyPoints: round(readyPoints),
      readyDepth: readyDepth.value,
      estimatedShare: estimatedShare.value,
      staleShare: staleShare.value,
      growthRatio: growth.value,
      medianAgeDays: age?.medianDays ?? null,
    },
  };
}

/** The backlog in rank order: items not done at asOf, of a backlog kind, not in the active sprint. */
function backlogItems(index: HistoryIndex, excluded: Exclusion[]): WorkItemHistory[] {
  const asOf = index.asOfMs;
  const activeSprints = new Set(index.sprints.filter((s) => s.stateAtAsOf === 'active').map((s) => s.sprint.id));
  const backlog: WorkItemHistory[] = [];
  for (const h of index.items) {
    if (!index.existsAt(h, asOf) || index.isDoneAt(h, asOf)) continue;
    const why = kindExclusion(h, 'backlog', index.team) ?? (h.sprints.at(asOf).some((id) => activeSprints.has(id)) ? 'in the active sprint' : undefined);
    if (why) excluded.push({ id: h.item.id, key: h.item.key, reason: why });
    else backlog.push(h);
  }
  return backlog.sort(byRank);
}

/** One backlog item against the Definition of Ready. */
function readinessOf(index: HistoryIndex, h: WorkItemHistory, staleDays: number): BacklogItemReadiness {
  const asOf = index.asOfMs;
  const estimate = index.team.estimateUnit === 'count' ? 1 : h.estimate.at(asOf);
  const missing: BacklogItemReadiness['missing'][number][] = [];
  if (!(estimate !== null && estimate > 0)) missing.push('estimate');
  if (!h.item.described) missing.push('description');
  if (h.flagged.at(asOf) || index.team.blockedStatuses.includes(h.status.at(asOf).name)) missing.push('unblocked');
  if (asOf - lastActivity(h, asOf) > staleDays * DAY_MS) missing.push('recent-activity');
  return {
    key: h.item.key,
    itemId: h.item.id,
    rank: h.item.rank ?? null,
    estimate,
    ready: missing.length === 0,
    missing,
    ageDays: round((asOf - h.createdMs) / DAY_MS),
  };
}

/** Sprints of ready work at the top of the backlog (the top run, or every ready item), by the velocity. */
function readyDepthComponent(readiness: readonly BacklogItemReadiness[], mode: 'top-run' | 'all-ready', vel: number | null): BacklogComponent {
  if (vel === null || !(vel > 0)) {
    return component('readyDepth', null, null, null, vel === null ? 'no velocity yet: ready depth needs at least one closed sprint' : 'velocity is 0');
  }
  const firstNotReady = readiness.findIndex((r) => !r.ready);
  const topRun = firstNotReady < 0 ? readiness : readiness.slice(0, firstNotReady);
  const depthPoints = mode === 'top-run' ? sumEstimates(topRun) : sumEstimates(readiness.filter((r) => r.ready));
  const d = round(depthPoints / vel);
  return component('readyDepth', d, round(depthScore(d)), depthLight(d));
}

/** Share of estimated items among the next `horizon` sprints' worth of items (by the closed sprints' item throughput; 20 without one). */
function estimatedShareComponent(
  readiness: readonly BacklogItemReadiness[],
  closed: readonly SprintScope[],
  horizon: number,
): { component: BacklogComponent; topCount: number } {
  const perSprintItems = closed.length ? closed.reduce((a, s) => a + s.completed.length, 0) / closed.length : null;
  const topCount = perSprintItems === null ? 20 : Math.max(1, Math.round(horizon * perSprintItems));
  const top = readiness.slice(0, topCount);
  if (top.length === 0) return { component: component('estimatedShare', null, null, null, 'the backlog is empty'), topCount };
  const share = round(top.filter((r) => r.estimate !== null && r.estimate > 0).length / top.length, 3);
  return { component: component('estimatedShare', share, round(share * 100), atLeast(share, THRESHOLDS.estimatedShare)), topCount };
}

/** Share of backlog items untouched for longer than the stale limit. */
function staleShareComponent(readiness: readonly BacklogItemReadiness[]): BacklogComponent {
  if (readiness.length === 0) return component('staleShare', null, null, null, 'the backlog is empty');
  const share = round(readiness.filter((r) => r.missing.includes('recent-activity')).length / readiness.length, 3);
  return component('staleShare', share, round((1 - share) * 100), atMost(share, THRESHOLDS.staleShare));
}

/** Items created / items completed over the closed sprints of the growth window. */
function growthComponent(index: HistoryIndex, closed: readonly SprintScope[]): { component: BacklogComponent; rows: BacklogHealthDetails['growth'] } {
  const counted = index.items.filter((h) => countsAs(h, 'backlog', index.team));
  const rows = closed.map((s) => {
    const from = s.startMs;
    const to = s.endMs;
    return {
      sprintId: s.schedule.sprint.id,
      name: s.schedule.sprint.name,
      created: counted.filter((h) => h.createdMs >= from && h.createdMs < to).length,
      // Entered done during the sprint and still done at its end.
      completed: counted.filter((h) => h.doneIntervals.some((d) => d.from >= from && d.from < to && d.to >= to)).length,
    };
  });
  const created = rows.reduce((a, r) => a + r.created, 0);
  const completed = rows.reduce((a, r) => a + r.completed, 0);
  if (rows.length === 0) return { component: component('growth', null, null, null, 'no closed sprint to measure growth over'), rows };
  if (completed === 0) {
    return { component: component('growth', null, null, null, `${created} items created and none completed in the last ${rows.length} sprint(s)`), rows };
  }
  const ratio = round(created / completed, 3);
  return { component: component('growth', ratio, round(ratio <= 1 ? 100 : Math.max(0, 100 - (ratio - 1) * 100)), atMost(ratio, THRESHOLDS.growth)), rows };
}

function ageOf(readiness: readonly BacklogItemReadiness[]): BacklogHealthDetails['age'] {
  const ages = readiness.map((r) => r.ageDays);
  if (!ages.length) return null;
  return {
    medianDays: round(median(ages)),
    p85Days: round(quantile(ages, 0.85)),
    oldestDays: round(max(ages)),
    buckets: Object.fromEntries(AGE_BUCKETS.map(([name, upper], i) => [name, ages.filter((a) => a < upper && a >= (i === 0 ? 0 : AGE_BUCKETS[i - 1]![1])).length])),
  };
}

function component(name: BacklogComponent['name'], value: number | null, score: number | null, light: TrafficLight | null, reason?: string): BacklogComponent {
  return { name, value, score, light, weight: WEIGHTS[name], thresholds: THRESHOLDS[name], ...(reason ? { reason } : {}) };
}

/** Green at or above `green`, amber at or above `amber`, else red. */
function atLeast(x: number, t: { readonly green: number; readonly amber: number }): TrafficLight {
  return x >= t.green ? 'green' : x >= t.amber ? 'amber' : 'red';
}

/** Green at or below `green`, amber at or below `amber`, else red. */
function atMost(x: number, t: { readonly green: number; readonly amber: number }): TrafficLight {
  return x <= t.green ? 'green' : x <= t.amber ? 'amber' : 'red';
}

/** Score of a ready depth: rises to 100 at the healthy minimum (2 sprints), stays 100 to the healthy maximum (3), then loses 10 per sprint (floor 50). */
function depthScore(d: number): number {
  const t = THRESHOLDS.readyDepth;
  if (d <= t.healthyMin) return (100 / t.healthyMin) * d;
  if (d <= t.healthyMax) return 100;
  return Math.max(50, 100 - 10 * (d - t.healthyMax));
}

function depthLight(d: number): TrafficLight {
  const t = THRESHOLDS.readyDepth;
  if (d < t.critical) return 'red';
  if (d < t.healthyMin || d > t.overRefined) return 'amber';
  return 'green';
}

/** The latest change at or before asOf (or creation): what "touched" means when the past is asked. */
function lastActivity(h: WorkItemHistory, asOf: number): number {
  let last = h.createdMs;
  for (const tl of [h.status, h.estimate, h.sprints, h.releases, h.flagged, h.labels] as const) {
    const i = tl.indexAt(asOf);
    if (i >= 0) last = Math.max(last, tl.times[i]!);
  }
  const updated = parseInstant(h.item.updatedAt);
  if (updated <= asOf) last = Math.max(last, updated);
  return last;
}

function byRank(a: WorkItemHistory, b: WorkItemHistory): number {
  const ra = a.item.rank;
  const rb = b.item.rank;
  if (ra !== undefined && rb !== undefined && ra !== rb) return ra < rb ? -1 : 1;
  if (ra !== undefined && rb === undefined) return -1;
  if (ra === undefined && rb !== undefined) return 1;
  return a.createdMs - b.createdMs || (a.item.key < b.item.key ? -1 : 1);
}

function sumEstimates(rows: readonly BacklogItemReadiness[]): number {
  return rows.reduce((a, r) => a + (r.estimate ?? 0), 0);
}
