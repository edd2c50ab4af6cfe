import { max, mean, median, quantile } from 'simple-statistics';
import type { HistoryIndex, WorkItemHistory } from '../history/history-index';
import { type Interval, intervalsWhere } from '../history/timeline-index';
import type { ImpedimentSource, TeamSettings } from '../model/types';
import { type Evidence, type EvidenceEvent, type MetricResult, type Warning, round } from '../result';
import { HOUR_MS, DAY_MS, formatInstant } from '../time/instant';
import { IMPEDIMENT_DAYS_WITHOUT_SPRINTS, resolveMetricOptions } from '../options/metric-options-schema';

export interface ImpedimentResolutionTimeOptions {
  /** Window = the last N started sprints (default 6)... */
  readonly sprints?: number;
  /** ...or the last N days (default 90 when the team has no sprints). Takes precedence when given. */
  readonly days?: number;
  /** Open impediments older than this many days raise a warning (default 30). */
  readonly staleOpenDays?: number;
}

/** One impediment: an interval from raised to resolved, from one source. */
export interface Impediment {
  readonly id: string;
  readonly itemId: string;
  readonly key: string;
  readonly title: string;
  readonly url?: string;
  readonly source: ImpedimentSource;
  readonly raisedAt: string;
  /** null while open at asOf. */
  readonly resolvedAt: string | null;
  readonly calendarHours: number;
  readonly workingHours: number;
  readonly events: readonly EvidenceEvent[];
}

export interface ImpedimentStats {
  readonly median: number;
  readonly p85: number;
  readonly mean: number;
  readonly max: number;
}

export interface ImpedimentResolutionTimeValue {
  readonly raised: number;
  readonly resolved: number;
  readonly open: number;
  /** Resolution time of the impediments resolved in the window; null when none was. */
  readonly calendarHours: ImpedimentStats | null;
  readonly workingHours: ImpedimentStats | null;
}

export interface ImpedimentSprintTrend {
  readonly sprintId: string;
  readonly name: string;
  readonly raised: number;
  readonly resolved: number;
  readonly medianCalendarHours: number | null;
  readonly medianWorkingHours: number | null;
}

export interface ImpedimentResolutionTimeDetails {
  readonly windowStart: string;
  readonly windowEnd: string;
  readonly resolved: readonly Impediment[];
  /** Open at asOf, oldest first; hours = age so far. */
  readonly open: readonly Impediment[];
  readonly perSprint: readonly ImpedimentSprintTrend[];
}

/** What impediment resolution time publishes in `params`: its window, the team's impediment rules and calendar. */
export type ImpedimentResolutionTimeParams = {
  readonly window: { readonly days: number } | { readonly sprints: number };
  readonly sources: TeamSettings['impedimentSources'];
  readonly blockedStatuses: TeamSettings['blockedStatuses'];
  readonly workingDays: TeamSettings['workingDays'];
  readonly workingHours: TeamSettings['workingHours'];
  readonly timeZone: string;
  readonly percentileMethod: string;
  readonly staleOpenDays: number;
  readonly asOf: string;
};

/** The roles of its evidence: impediments resolved in the window, and those still open. */
export type ImpedimentRole = 'resolved' | 'open';

export type ImpedimentResolutionTimeResult = MetricResult<
  ImpedimentResolutionTimeValue,
  ImpedimentResolutionTimeDetails,
  ImpedimentResolutionTimeParams,
  ImpedimentRole
>;

/**
 * Impediment resolution time: how long impediments stay unresolved, in calendar and working hours.
 *
 * An impediment is an interval from raised to resolved, from the team's configured sources: Jira Flagged /
 * Azure DevOps Blocked on -> off (if the item reaches done while still flagged, the interval ends then);
 * impediment items (kind `impediment`: Azure DevOps Impediment or Issue, a Jira issue type) created -> done;
 * blocked statuses entered -> left. Working hours count only the team's working hours on working days in
 * its zone. Over a window (default the last 6 started sprints, or 90 days without sprints): raised,
 * resolved, and the median, 85th percentile (linear interpolation, R-7), mean and max of the impediments
 * resolved in it; open impediments with their age; raised/resolved/median per sprint.
 *
 * @example impedimentResolutionTime(index).value?.calendarHours?.median // 9 for 4, 6, 12 and 66 hours
 */
export function impedimentResolutionTime(
  index: HistoryIndex,
  options: ImpedimentResolutionTimeOptions = {},
): ImpedimentResolutionTimeResult {
  const chosen = resolveMetricOptions('impedimentResolutionTime', options);
  const staleOpenDays = chosen.staleOpenDays;
  const started = index.sprints.filter((s) => s.startMs !== undefined && s.startMs <= index.asOfMs);
  const useDays = chosen.days !== undefined || started.length === 0;
  const days = chosen.days ?? IMPEDIMENT_DAYS_WITHOUT_SPRINTS;
  const sprintCount = chosen.sprints;
  const windowSprints = useDays ? [] : started.slice(-sprintCount);
  const windowStart = useDays ? index.asOfMs - days * DAY_MS : windowSprints[0]!.startMs!;
  const windowEnd = index.asOfMs;
  const params: ImpedimentResolutionTimeParams = {
    window: useDays ? { days } : { sprints: sprintCount },
    sources: index.team.impedimentSources,
    blockedStatuses: index.team.blockedStatuses,
    workingDays: index.team.workingDays,
    workingHours: index.team.workingHours,
    timeZone: index.team.timeZone,
    percentileMethod: 'linear interpolation (R-7)',
    staleOpenDays,
    asOf: formatInstant(index.asOfMs),
  };

  const warnings: Warning[] = [];
  const all = collectImpediments(index);
  const resolved = all.filter((i) => i.resolvedMs !== null && i.resolvedMs >= windowStart && i.resolvedMs <= windowEnd).map((i) => toImpediment(index, i));
  const open = all
    .filter((i) => i.resolvedMs === null)
    .sort((a, b) => a.raisedMs - b.raisedMs)
    .map((i) => toImpediment(index, i));
  const raised = all.filter((i) => i.raisedMs >= windowStart && i.raisedMs <= windowEnd).length;
  for (const o of open) {
    if (o.calendarHours >= staleOpenDays * 24) {
      warnings.push({
        code: 'impediment-open-long',
        message: `${o.key}: impediment (${o.source}) open for ${round(o.calendarHours / 24, 1)} days and still unresolved`,
        itemId: o.itemId,
        itemKey: o.key,
      });
    }
  }
  const perSprint = windowSprints.map((s) => {
    const from = s.startMs!;
    const to = Math.min(s.closeMs ?? index.asOfMs, index.asOfMs);
    const res = all.filter((i) => i.resolvedMs !== null && i.resolvedMs >= from && i.resolvedMs < to).map((i) => toImpediment(index, i));
    return {
      sprintId: s.sprint.id,
      name: s.sprint.name,
      raised: all.filter((i) => i.raisedMs >= from && i.raisedMs < to).length,
      resolved: res.length,
      medianCalendarHours: res.length ? round(median(res.map((r) => r.calendarHours))) : null,
      medianWorkingHours: res.length ? round(median(res.map((r) => r.workingHours))) : null,
    };
  });
  const details = { windowStart: formatInstant(windowStart), windowEnd: formatInstant(windowEnd), resolved, open, perSprint };
  const evidence: Evidence<ImpedimentRole>[] = [...resolved.map((i) => evidenceOf(i, 'resolved')), ...open.map((i) => evidenceOf(i, 'open'))];
  const base = { metric: 'impedimentResolutionTime' as const, unit: 'hours', evidence, excluded: [], warnings, params, details };
  if (resolved.length === 0 && open.length === 0 && raised === 0) {
    return { ...base, value: null, reason: `no impediment raised, resolved or open in the window (sources: ${index.team.impedimentSources.join(', ')})` };
  }
  return {
    ...base,
    value: {
      raised,
      resolved: resolved.length,
      open: open.length,
      calendarHours: stats(resolved.map((r) => r.calendarHours)),
      workingHours: stats(resolved.map((r) => r.workingHours)),
    },
  };
}

/** An impediment as found in the history, before it is measured. */
export interface ImpedimentInterval {
  readonly history: WorkItemHistory;
  readonly source: ImpedimentSource;
  /** Position of this interval among the item's intervals from the same source (0 = the first): part of the impediment's id. */
  readonly ordinal: number;
  readonly raisedMs: number;
  readonly resolvedMs: number | null;
}

/** Every impediment interval that started by asOf, from the team's configured sources. */
export function collectImpediments(index: HistoryIndex): ImpedimentInterval[] {
  const sources = new Set(index.team.impedimentSources);
  const blocked = new Set(index.team.blockedStatuses);
  const out: ImpedimentInterval[] = [];
  const asOf = index.asOfMs;
  const add = (h: WorkItemHistory, source: ImpedimentSource, ivs: readonly Interval[]) => {
    ivs.forEach((iv, ordinal) => {
      if (iv.from > asOf) return;
      out.push({ history: h, source, ordinal, raisedMs: iv.from, resolvedMs: iv.to <= asOf ? iv.to : null });
    });
  };
  for (const h of index.items) {
    if (sources.has('flagged') && h.flagged.times.length) {
      const flagged = intervalsWhere(h.flagged, (v) => v, h.createdMs, false)
        .filter((iv) => !index.isDoneAt(h, iv.from))
        .map((iv) => {
          // Done while still flagged: the impediment ends when the work does.
          const doneEntry = h.doneIntervals.find((d) => d.from > iv.from && d.from < iv.to);
          return doneEntry ? { from: iv.from, to: doneEntry.from } : iv;
        });
      add(h, 'flagged', flagged);
    }
    if (sources.has('blocked-status') && blocked.size) {
      add(h, 'blocked-status', intervalsWhere(h.status, (s) => blocked.has(s.name), h.createdMs, h.status.value(0)));
    }
    if (sources.has('item-type') && h.item.type.kind === 'impediment') {
      const doneAtAsOf = h.doneIntervals.find((d) => d.from <= asOf && asOf < d.to);
      add(h, 'item-type', [{ from: h.createdMs, to: doneAtAsOf ? doneAtAsOf.from : Infinity }]);
    }
  }
  return out;
}

function toImpediment(index: HistoryIndex, r: ImpedimentInterval): Impediment {
  const end = r.resolvedMs ?? index.asOfMs;
  const item = r.history.item;
  const events: EvidenceEvent[] = [];
  const pick = (tl: typeof r.history.flagged | typeof r.history.status, field: 'flagged' | 'status', t: number) => {
    const i = tl.indexAt(t);
    const c = i >= 0 ? tl.change(i) : undefined;
    if (c && tl.times[i] === t) {
      const v = c.value as unknown;
      events.push({ at: c.at, field, to: typeof v === 'object' && v ? (v as { name: string }).name : v, ...(c.eventId ? { eventId: c.eventId } : {}) });
    }
  };
  if (r.source === 'item-type') events.push({ at: item.createdAt, field: 'created' });
  else pick(r.source === 'flagged' ? r.history.flagged : r.history.status, r.source === 'flagged' ? 'flagged' : 'status', r.raisedMs);
  if (r.resolvedMs !== null) {
    pick(r.history.status, 'status', r.resolvedMs);
    if (r.source === 'flagged') pick(r.history.flagged, 'flagged', r.resolvedMs);
  }
  return {
    id: `${item.id}#${r.source}#${r.ordinal}`,
    itemId: item.id,
    key: item.key,
    title: item.title,
    ...(item.url ? { url: item.url } : {}),
    source: r.source,
    raisedAt: formatInstant(r.raisedMs),
    resolvedAt: r.resolvedMs === null ? null : formatInstant(r.resolvedMs),
    calendarHours: round((end - r.raisedMs) / HOUR_MS),
    workingHours: round(index.calendar.workingMillisBetween(r.raisedMs, end) / HOUR_MS),
    events,
  };
}

function evidenceOf(i: Impediment, role: ImpedimentRole): Evidence<ImpedimentRole> {
  return { itemId: i.itemId, key: i.key, title: i.title, ...(i.url ? { url: i.url } : {}), role, contribution: i.calendarHours, events: i.events };
}

function stats(values: number[]): ImpedimentStats | null {
  if (values.length === 0) return null;
  return { median: round(median(values)), p85: round(quantile(values, 0.85)), mean: round(mean(values)), max: round(max(values)) };
}
