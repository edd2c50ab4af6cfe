import { mean, median, quantile } from 'simple-statistics';
import type { HistoryIndex, WorkItemHistory } from '../history/history-index';
import type { StatusCategory } from '../model/types';
import { type Evidence, type EvidenceEvent, type Exclusion, type MetricResult, type Warning, round } from '../result';
import { DAY_MS, formatInstant } from '../time/instant';
import { resolveMetricOptions } from '../options/metric-options-schema';
import { countsAs } from './kind-exclusion';

export interface FlowOptions {
  /** Whole weeks before the current one that throughput and the window cover (default 12). */
  readonly weeks?: number;
}

export interface FlowStats {
  readonly median: number;
  readonly p85: number;
  readonly p95: number;
  readonly mean: number;
}

export interface FinishedItem {
  readonly key: string;
  readonly itemId: string;
  readonly finishedAt: string;
  /** Days from the first start to the last entry to done; null when the item never started. */
  readonly cycleDays: number | null;
  readonly leadDays: number;
}

export interface AgingItem {
  readonly key: string;
  readonly itemId: string;
  /** The item's title today (a row of the aging table names its item, whatever page of the evidence it is on). */
  readonly title: string;
  readonly status: string;
  readonly column: string | null;
  readonly startedAt: string;
  readonly ageDays: number;
  /** Against the cycle-time percentiles: still normal, getting old, or older than 85 % of finished items. */
  readonly band: 'within-p50' | 'p50-p85' | 'above-p85' | 'unknown';
}

export interface CumulativeFlowDay {
  readonly date: string;
  readonly byCategory: Readonly<Record<Exclude<StatusCategory, 'removed'>, number>>;
  readonly byColumn: Readonly<Record<string, number>>;
}

export interface FlowValue {
  /** Mean items finished per complete week in the window. */
  readonly throughputPerWeek: number;
  readonly cycleTimeDays: FlowStats | null;
  readonly leadTimeDays: FlowStats | null;
  /** Items in progress at asOf. */
  readonly wip: number;
  /** Items in progress for longer than the cycle-time 85th percentile. */
  readonly agingAboveP85: number;
}

export interface FlowDetails {
  readonly windowStart: string;
  readonly weeks: readonly { readonly week: string; readonly finished: number }[];
  /** Items finished so far in the current, incomplete week (not in the mean). */
  readonly currentWeek: { readonly week: string; readonly finished: number };
  readonly finished: readonly FinishedItem[];
  readonly aging: readonly AgingItem[];
  readonly cumulativeFlow: readonly CumulativeFlowDay[];
}

/** What flow publishes in `params`: its window in weeks, the percentile method and the unit of its times. */
export type FlowParams = {
  readonly weeks: number;
  readonly asOf: string;
  readonly timeZone: string;
  readonly percentileMethod: string;
  readonly unit: string;
};

/** The roles of its evidence: items finished in the window (contribution: cycle days) and work in progress (age). */
export type FlowRole = 'finished' | 'wip';

export type FlowResult = MetricResult<FlowValue, FlowDetails, FlowParams, FlowRole>;

/**
 * Flow metrics: throughput, cycle time, lead time, WIP and aging WIP, cumulative flow.
 *
 * Throughput = items reaching done per week (ISO weeks in the team's zone; the mean covers the last N
 * complete weeks, default 12; an item counts in the week of its last entry to done, and only while still
 * done at asOf). Cycle time = first entry to an in-progress status -> last entry to done (time after a reopen
 * counts), in calendar days; items done without ever starting are excluded and warned. Lead time = created ->
 * last entry to done. Both over items finished from the window's start to asOf: median, 85th and 95th
 * percentiles, mean. WIP = items in progress at asOf, each aged since its first start and banded
 * against the cycle-time percentiles. Cumulative flow = items per status category and board column at the
 * end of each day. Sub-tasks, epics and impediment items are left out. A finished item's evidence lists
 * its status changes from the first start to done, so that the time in each status can be read back.
 *
 * @example flow(index, { weeks: 2 }).value?.throughputPerWeek // 2 for 1 and 3 items in the last two weeks
 */
export function flow(index: HistoryIndex, options: FlowOptions = {}): FlowResult {
  const { weeks } = resolveMetricOptions('flow', options);
  const cal = index.calendar;
  const asOf = index.asOfMs;
  const currentWeek = cal.weekOf(asOf);
  const weekStarts = Array.from({ length: weeks }, (_, i) => cal.addDays(currentWeek, -7 * (weeks - i)));
  const windowStart = cal.startOfDate(weekStarts[0]!);
  const warnings: Warning[] = [];
  const excluded: Exclusion[] = [];
  const items = index.items.filter((h) => countsAs(h, 'delivery', index.team));

  const perWeek = new Map<string, number>([...weekStarts, currentWeek].map((w) => [w, 0]));
  const finished: FinishedItem[] = [];
  const evidence: Evidence<FlowRole>[] = [];
  for (const h of items) {
    if (!index.existsAt(h, asOf)) continue;
    const doneFrom = index.doneSince(h, asOf);
    if (doneFrom === undefined || doneFrom < windowStart) continue;
    const week = cal.weekOf(doneFrom);
    if (perWeek.has(week)) perWeek.set(week, perWeek.get(week)! + 1);
    const started = firstStart(h, doneFrom);
    if (started === undefined) {
      excluded.push({ id: h.item.id, key: h.item.key, reason: 'done without ever being in progress: no cycle time' });
      warnings.push({ code: 'done-without-start', message: `${h.item.key} reached done without ever being in progress`, itemId: h.item.id, itemKey: h.item.key });
    }
    const cycleDays = started === undefined ? null : round((doneFrom - started) / DAY_MS);
    const leadDays = round((doneFrom - h.createdMs) / DAY_MS);
    finished.push({ key: h.item.key, itemId: h.item.id, finishedAt: formatInstant(doneFrom), cycleDays, leadDays });
    evidence.push({
      ...itemRef(h),
      role: 'finished',
      contribution: cycleDays,
      events: started === undefined ? [statusEvent(h, doneFrom)] : statusPath(h, started, doneFrom),
    });
  }
  const cycles = finished.map((f) => f.cycleDays).filter((d): d is number => d !== null);
  const cycleTimeDays = stats(cycles);
  const leadTimeDays = stats(finished.map((f) => f.leadDays));

  const aging: AgingItem[] = [];
  for (const h of items) {
    if (!index.existsAt(h, asOf)) continue;
    const status = h.status.at(asOf);
    if (status.category !== 'in_progress' || index.isDoneAt(h, asOf)) continue;
    const started = firstStart(h, asOf)!;
    const ageDays = round((asOf - started) / DAY_MS);
    const band: AgingItem['band'] = !cycleTimeDays ? 'unknown' : ageDays <= cycleTimeDays.median ? 'within-p50' : ageDays <= cycleTimeDays.p85 ? 'p50-p85' : 'above-p85';
    aging.push({ key: h.item.key, itemId: h.item.id, title: h.item.title, status: status.name, column: status.column ?? null, startedAt: formatInstant(started), ageDays, band });
    evidence.push({ ...itemRef(h), role: 'wip', contribution: ageDays, note: band, events: [statusEvent(h, started)] });
  }
  aging.sort((a, b) => b.ageDays - a.ageDays);

  const cumulativeFlow = cumulativeFlowDays(index, items, cal.datesBetween(weekStarts[0]!, cal.localDate(asOf)));

  const complete = weekStarts.map((w) => ({ week: w, finished: perWeek.get(w)! }));
  const details = {
    windowStart: formatInstant(windowStart),
    weeks: complete,
    currentWeek: { week: currentWeek, finished: perWeek.get(currentWeek)! },
    finished,
    aging,
    cumulativeFlow,
  };
  const params: FlowParams = { weeks, asOf: formatInstant(asOf), timeZone: index.team.timeZone, percentileMethod: 'linear interpolation (R-7)', unit: 'calendar days' };
  const base = { metric: 'flow' as const, unit: 'items per week', evidence, excluded, warnings, params, details };
  if (items.every((h) => h.createdMs > asOf)) return { ...base, value: null, reason: 'no work items existed at asOf' };
  return {
    ...base,
    value: {
      throughputPerWeek: round(complete.reduce((a, w) => a + w.finished, 0) / weeks),
      cycleTimeDays,
      leadTimeDays,
      wip: aging.length,
      agingAboveP85: aging.filter((a) => a.band === 'above-p85').length,
    },
  };
}

/**
 * Items per category and column at the end of each day (today: asOf). Each item's status history is a few
 * constant stretches; each stretch adds 1 to the days whose sample falls inside it, through difference
 * arrays, so the cost grows with the changes, not with days x items.
 */
function cumulativeFlowDays(index: HistoryIndex, items: readonly WorkItemHistory[], dates: readonly string[]): CumulativeFlowDay[] {
  const cal = index.calendar;
  const samples = dates.map((d) => Math.min(cal.endOfDate(d), index.asOfMs));
  const n = samples.length;
  const lowerBound = (x: number) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (samples[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const byCategory = { todo: new Int32Array(n + 1), in_progress: new Int32Array(n + 1), done: new Int32Array(n + 1) };
  const byColumn = new Map<string, Int32Array>((index.team.columns ?? []).map((c) => [c, new Int32Array(n + 1)]));
  for (const h of items) {
    const tl = h.status;
    const starts = [h.createdMs];
    const values = [tl.at(h.createdMs)];
    for (let i = 0; i < tl.times.length; i++) {
      const t = tl.times[i]!;
      if (t <= h.createdMs) continue;
      if (t === starts[starts.length - 1]) values[values.length - 1] = tl.value(i);
      else {
        starts.push(t);
        values.push(tl.value(i));
      }
    }
    for (let k = 0; k < starts.length; k++) {
      const lo = lowerBound(starts[k]!);
      const hi = k + 1 < starts.length ? lowerBound(starts[k + 1]!) : n;
      if (lo >= hi) continue;
      const s = values[k]!;
      if (s.category === 'removed') continue;
      // A done category outside the board's done column is still work in progress on the board.
      const cat = index.isDoneStatus(s) ? 'done' : s.category === 'done' ? 'in_progress' : s.category;
      addStretch(byCategory[cat], lo, hi);
      if (s.column !== undefined) {
        let diff = byColumn.get(s.column);
        if (!diff) byColumn.set(s.column, (diff = new Int32Array(n + 1)));
        addStretch(diff, lo, hi);
      }
    }
  }
  const running = (diff: Int32Array) => {
    const out: number[] = [];
    let acc = 0;
    for (let i = 0; i < n; i++) out.push((acc += diff[i]!));
    return out;
  };
  const cats = { todo: running(byCategory.todo), in_progress: running(byCategory.in_progress), done: running(byCategory.done) };
  const cols = [...byColumn].map(([c, diff]) => [c, running(diff)] as const);
  return dates.map((date, i) => ({
    date,
    byCategory: { todo: cats.todo[i]!, in_progress: cats.in_progress[i]!, done: cats.done[i]! },
    byColumn: Object.fromEntries(cols.map(([c, counts]) => [c, counts[i]!])),
  }));
}

function addStretch(diff: Int32Array, lo: number, hi: number): void {
  diff[lo] = diff[lo]! + 1;
  diff[hi] = diff[hi]! - 1;
}

/** First entry to an in-progress status at or before `until`. */
function firstStart(h: WorkItemHistory, until: number): number | undefined {
  const first = h.status.value(0);
  if (first.category === 'in_progress' && h.createdMs <= until) return h.createdMs;
  for (let i = 0; i < h.status.times.length && h.status.times[i]! <= until; i++) {
    if (h.status.value(i).category === 'in_progress') return h.status.times[i]!;
  }
  return undefined;
}

function statusEvent(h: WorkItemHistory, t: number): EvidenceEvent {
  const i = h.status.indexAt(t);
  const c = h.status.change(Math.max(0, i));
  return { at: c.at, field: 'status', to: c.value.name, ...(c.eventId ? { eventId: c.eventId } : {}) };
}

/**
 * Every status change from the first start to the last entry to done: where an item's cycle time went (the
 * time between two changes is time in the first one's status), what `cycleTimeChange` reads.
 */
function statusPath(h: WorkItemHistory, started: number, doneFrom: number): EvidenceEvent[] {
  const later = h.status.changesIn(started, doneFrom).map(({ change, previous }) => ({
    at: change.at,
    field: 'status' as const,
    from: previous.name,
    to: change.value.name,
    ...(change.eventId ? { eventId: change.eventId } : {}),
  }));
  return [statusEvent(h, started), ...later];
}

function itemRef(h: WorkItemHistory) {
  return { itemId: h.item.id, key: h.item.key, ...(h.item.url ? { url: h.item.url } : {}), title: h.item.title };
}

function stats(values: number[]): FlowStats | null {
  if (values.length === 0) return null;
  return { median: round(median(values)), p85: round(quantile(values, 0.85)), p95: round(quantile(values, 0.95)), mean: round(mean(values)) };
}
