import { max, median, quantile } from 'simple-statistics';
import type { HistoryIndex, WorkItemHistory } from '../history/history-index';
import { type Evidence, type Exclusion, type MetricResult, type TrafficLight, type Warning, round } from '../result';
import { DAY_MS, formatInstant, parseInstant } from '../time/instant';
import { startedSprintScopes } from './sprint-scope';
import { velocity } from './velocity';

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

export type BacklogHealthResult = MetricResult<BacklogHealthValue, BacklogHealthDetails>;

const WEIGHTS = { readyDepth: 0.4, estimatedShare: 0.25, staleShare: 0.2, growth: 0.15 } as const;
const THRESHOLDS = {
  readyDepth: { critical: 1, healthyMin: 2, healthyMax: 3, overRefined: 5 },
  estimatedShare: { green: 0.9, amber: 0.7 },
  staleShare: { green: 0.1, amber: 0.25 },
  growth: { green: 1.1, amber: 1.5 },
  score: { green: 75, amber: 50 },
} as const;
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
  const staleDays = options.staleDays ?? 90;
  const mode = options.readyDepthMode ?? 'top-run';
  const horizon = options.estimatedHorizonSprints ?? 2;
  const growthSprints = options.growthSprints ?? 3;
  if (!(staleDays > 0)) throw new RangeError('backlogHealth: staleDays must be a positive number of days, e.g. 90');
  if (!(horizon > 0)) throw new RangeError('backlogHealth: estimatedHorizonSprints must be positive, e.g. 2');
  const asOf = index.asOfMs;
  const vel = options.velocity !== undefined ? options.velocity : velocity(index).value?.velocity ?? null;
  const warnings: Warning[] = [];
  const excluded: Exclusion[] = [];
  const activeSprints = new Set(index.sprints.filter((s) => s.stateAtAsOf === 'active').map((s) => s.sprint.id));
  const blocked = new Set(index.team.blockedStatuses);

  const backlog: WorkItemHistory[] = [];
  for (const h of index.items) {
    if (!index.existsAt(h, asOf) || index.isDoneAt(h, asOf)) continue;
    const kind = h.item.type.kind;
    const why =
      kind === 'subtask' ? 'sub-task: its parent is the backlog item'
      : kind === 'epic' ? 'epic: a container, not a backlog item'
      : kind === 'impediment' ? 'impediment: not backlog work'
      : kind === 'bug' && !index.team.bugsOnBacklog ? 'bug: the team keeps bugs off the backlog'
      : h.sprints.at(asOf).some((id) => activeSprints.has(id)) ? 'in the active sprint'
      : undefined;
    if (why) excluded.push({ id: h.item.id, key: h.item.key, reason: why });
    else backlog.push(h);
  }
  backlog.sort(byRank);

  const unit = index.team.estimateUnit;
  const readiness: BacklogItemReadiness[] = backlog.map((h) => {
    const estimate = unit === 'count' ? 1 : h.estimate.at(asOf);
    const missing: BacklogItemReadiness['missing'][number][] = [];
    if (!(estimate !== null && estimate > 0)) missing.push('estimate');
    if (!h.item.described) missing.push('description');
    if (h.flagged.at(asOf) || blocked.has(h.status.at(asOf).name)) missing.push('unblocked');
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
  });
  const ready = readiness.filter((r) => r.ready);
  const readyPoints = sumEstimates(ready);
  const firstNotReady = readiness.findIndex((r) => !r.ready);
  const topRun = firstNotReady < 0 ? readiness : readiness.slice(0, firstNotReady);
  const depthPoints = mode === 'top-run' ? sumEstimates(topRun) : readyPoints;

  // Ready depth
  let readyDepth: BacklogComponent;
  if (vel === null || !(vel > 0)) {
    readyDepth = component('readyDepth', null, null, null, vel === null ? 'no velocity yet: ready depth needs at least one closed sprint' : 'velocity is 0');
    warnings.push({ code: 'ready-depth-unavailable', message: `ready depth cannot be computed: ${readyDepth.reason}` });
  } else {
    const d = round(depthPoints / vel);
    readyDepth = component('readyDepth', d, round(depthScore(d)), depthLight(d));
  }

  // Estimated share of the next `horizon` sprints' worth of items
  const { scopes } = startedSprintScopes(index);
  const closed = scopes.filter((s) => s.schedule.stateAtAsOf === 'closed').slice(-growthSprints);
  const perSprintItems = closed.length ? closed.reduce((a, s) => a + s.completed.length, 0) / closed.length : null;
  const topCount = perSprintItems === null ? 20 : Math.max(1, Math.round(horizon * perSprintItems));
  const top = readiness.slice(0, topCount);
  const estimatedShare =
    top.length === 0
      ? component('estimatedShare', null, null, null, 'the backlog is empty')
      : (() => {
          const share = round(top.filter((r) => r.estimate !== null && r.estimate > 0).length / top.length, 3);
          return component('estimatedShare', share, round(share * 100), share >= 0.9 ? 'green' : share >= 0.7 ? 'amber' : 'red');
        })();

  // Stale share
  const staleCount = readiness.filter((r) => r.missing.includes('recent-activity')).length;
  const staleShare =
    readiness.length === 0
      ? component('staleShare', null, null, null, 'the backlog is empty')
      : (() => {
          const share = round(staleCount / readiness.length, 3);
          return component('staleShare', share, round((1 - share) * 100), share <= 0.1 ? 'green' : share <= 0.25 ? 'amber' : 'red');
        })();

  // Growth: items created vs completed per closed sprint
  const counted = index.items.filter((h) => isBacklogKind(h, index.team.bugsOnBacklog));
  const growthRows = closed.map((s) => {
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
  const created = growthRows.reduce((a, r) => a + r.created, 0);
  const completed = growthRows.reduce((a, r) => a + r.completed, 0);
  const growth =
    growthRows.length === 0
      ? component('growth', null, null, null, 'no closed sprint to measure growth over')
      : completed === 0
        ? component('growth', null, null, null, `${created} items created and none completed in the last ${growthRows.length} sprint(s)`)
        : (() => {
            const ratio = round(created / completed, 3);
            return component('growth', ratio, round(ratio <= 1 ? 100 : Math.max(0, 100 - (ratio - 1) * 100)), ratio <= 1.1 ? 'green' : ratio <= 1.5 ? 'amber' : 'red');
          })();

  const components = [readyDepth, estimatedShare, staleShare, growth];
  const ages = readiness.map((r) => r.ageDays);
  const age = ages.length
    ? {
        medianDays: round(median(ages)),
        p85Days: round(quantile(ages, 0.85)),
        oldestDays: round(max(ages)),
        buckets: Object.fromEntries(
          AGE_BUCKETS.map(([name, upper], i) => [name, ages.filter((a) => a < upper && a >= (i === 0 ? 0 : AGE_BUCKETS[i - 1]![1])).length]),
        ),
      }
    : null;
  if (readiness.length === 0) warnings.push({ code: 'empty-backlog', message: 'the backlog is empty: nothing is ready for the next sprints' });
  const evidence: Evidence[] = readiness.map((r) => {
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
  const params = {
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
  const base = { metric: 'backlogHealth', unit: 'score', evidence, excluded, warnings, params, details };
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
      light: score >= THRESHOLDS.score.green ? 'green' : score >= THRESHOLDS.score.amber ? 'amber' : 'red',
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

  function component(name: BacklogComponent['name'], value: number | null, score: number | null, light: TrafficLight | null, reason?: string): BacklogComponent {
    return { name, value, score, light, weight: WEIGHTS[name], thresholds: THRESHOLDS[name], ...(reason ? { reason } : {}) };
  }
}

/** Score of a ready depth: rises to 100 at 2 sprints, stays 100 to 3, then loses 10 per sprint (floor 50). */
function depthScore(d: number): number {
  if (d <= 2) return 50 * d;
  if (d <= 3) return 100;
  return Math.max(50, 100 - 10 * (d - 3));
}

function depthLight(d: number): TrafficLight {
  const t = THRESHOLDS.readyDepth;
  if (d < t.critical) return 'red';
  if (d < t.healthyMin || d > t.overRefined) return 'amber';
  return 'green';
}

function isBacklogKind(h: WorkItemHistory, bugs: boolean): boolean {
  const k = h.item.type.kind;
  return k === 'story' || k === 'task' || k === 'other' || (k === 'bug' && bugs);
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
