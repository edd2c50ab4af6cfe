import type { HistoryIndex, SprintSchedule } from '../history/history-index';
import { contains } from '../history/timeline-index';
import { type Evidence, type MetricResult, round } from '../result';
import { HOUR_MS, formatInstant } from '../time/instant';
import { scopeEvidence, sprintScope, type ScopeEntry } from './sprint-scope';
import { unitLabel } from './velocity';
import { resolveMetricOptions } from '../options/metric-options-schema';

export interface SprintProgressOptions {
  /** The sprint to chart; default: the sprint active at asOf (the latest started one if several). */
  readonly sprintId?: string;
}

export interface BurnPoint {
  /** `start`: the sprint's start instant; `day-end`: a day's end (today: asOf); `future`: a day to come. */
  readonly kind: 'start' | 'day-end' | 'future';
  /** Local date in the team's zone (the start point shares its date with the first day's end). */
  readonly date: string;
  /** The instant sampled: end of that day, or asOf for today. null for days still to come. */
  readonly at: string | null;
  /** All work in the sprint at that instant (burnup's scope line). */
  readonly scope: number | null;
  readonly completed: number | null;
  /** scope - completed (burndown). */
  readonly remaining: number | null;
  /** Committed burned evenly over the sprint's working days. */
  readonly ideal: number;
}

export interface SprintProgressValue {
  readonly sprintId: string;
  readonly name: string;
  readonly committed: number;
  readonly scope: number;
  readonly completed: number;
  readonly remaining: number;
  /** Where the ideal line stands at asOf. */
  readonly idealRemaining: number;
  readonly workingDaysElapsed: number;
  readonly workingDaysTotal: number;
  /** Completed per working hour so far. */
  readonly pacePerWorkingHour: number | null;
  /** Completed projected at the planned end at the current pace. */
  readonly projectedCompletedAtEnd: number | null;
  /** When the remaining work would be done at the current pace; null without a pace. */
  readonly projectedFinish: string | null;
  readonly onTrack: boolean | null;
}

/** What sprint progress publishes in `params`: how days are sampled, and the sprint drawn (null when none is). */
export type SprintProgressParams = {
  readonly asOf: string;
  readonly timeZone: string;
  readonly sampling: string;
  readonly sprintId: string | null;
};

/** The roles of its evidence: the items in the sprint now, done or remaining, and the work added and removed. */
export type SprintProgressRole = 'done' | 'remaining' | 'added' | 'removed';

export type SprintProgressResult = MetricResult<SprintProgressValue, { readonly days: readonly BurnPoint[] }, SprintProgressParams, SprintProgressRole>;

/**
 * Sprint progress: daily burndown and burnup of the active sprint, with a projection of its close.
 *
 * For each day of the sprint in the team's zone, sampled at the end of the day (today: at asOf): scope =
 * estimates of the items in the sprint then (added and removed work moves this line), completed = those done
 * then, remaining = scope - completed, and the ideal line = Committed burned evenly over the working days
 * (flat on non-working days, like Jira's guideline). The projection extends the pace so far (completed per
 * working hour) to the planned end and computes when the remaining work would be done.
 *
 * @example sprintProgress(index).value?.remaining // 10 when 8 of 18 points in the sprint are done
 */
export function sprintProgress(index: HistoryIndex, options: SprintProgressOptions = {}): SprintProgressResult {
  const params = { asOf: formatInstant(index.asOfMs), timeZone: index.team.timeZone, sampling: 'end of each local day; today at asOf' };
  const { sprintId } = resolveMetricOptions('sprintProgress', options);
  const base = { metric: 'sprintProgress' as const, unit: unitLabel(index), excluded: [], params: { ...params, sprintId: sprintId ?? null } };
  const schedule = pickSprint(index, sprintId);
  if (!schedule) {
    return { ...base, value: null, reason: sprintId ? `sprint ${options.sprintId} is not found or has not started` : 'no sprint is active at asOf', evidence: [], warnings: [], details: { days: [] } };
  }
  const sp = schedule.sprint;
  const cal = index.calendar;
  const startMs = schedule.startMs!;
  const nowMs = Math.min(index.asOfMs, schedule.stateAtAsOf === 'closed' ? schedule.closeMs! : index.asOfMs);
  const endMs = schedule.plannedEndMs ?? schedule.closeMs ?? nowMs;
  const warnings = [];
  if (schedule.plannedEndMs === undefined) {
    warnings.push({ code: 'sprint-without-end-date', message: `sprint ${sp.name} has no planned end; the chart stops at asOf`, sprintId: sp.id });
  }
  const scope = sprintScope(index, schedule, nowMs);
  const work: ScopeEntry[] = [...scope.committed, ...scope.added];
  const committed = sum(scope.committed.map((e) => e.points ?? 0));
  const unit = index.team.estimateUnit;
  const membership = new Map(index.sprintMemberships(sp.id).map((m) => [m.history, m.intervals]));
  const inSprint = (e: ScopeEntry, t: number) => index.existsAt(e.history, t) && contains(membership.get(e.history) ?? [], t);
  const sample = (t: number) => {
    let inScope = 0;
    let done = 0;
    for (const e of work) {
      const h = e.history;
      if (!inSprint(e, t)) continue;
      const p = unit === 'count' ? 1 : (h.estimate.at(t) ?? 0);
      inScope += p;
      if (index.isDoneAt(h, t)) done += p;
    }
    return { scope: round(inScope), completed: round(done), remaining: round(inScope - done) };
  };

  const startDate = cal.localDate(startMs);
  const endDate = cal.localDate(Math.max(endMs, nowMs));
  const nowDate = cal.localDate(nowMs);
  const plannedEndDate = cal.localDate(endMs);
  const workingThrough = workingDaysFrom(cal, startDate, endDate);
  const totalWorking = workingThrough(plannedEndDate);
  const ideal = (date: string) => {
    if (totalWorking === 0) return 0;
    const doneDays = workingThrough(date);
    return round(committed * Math.max(0, 1 - doneDays / totalWorking));
  };
  const days: BurnPoint[] = [{ kind: 'start', date: startDate, at: formatInstant(startMs), ...sample(startMs), ideal: round(committed) }];
  for (const date of cal.datesBetween(startDate, endDate)) {
    if (date <= nowDate) {
      const t = Math.min(cal.endOfDate(date), nowMs);
      days.push({ kind: 'day-end', date, at: formatInstant(t), ...sample(t), ideal: ideal(date) });
    } else {
      days.push({ kind: 'future', date, at: null, scope: null, completed: null, remaining: null, ideal: ideal(date) });
    }
  }
  const now = sample(nowMs);
  const elapsedMs = cal.workingMillisBetween(startMs, nowMs);
  const leftMs = cal.workingMillisBetween(nowMs, endMs);
  const pace = elapsedMs > 0 ? now.completed / (elapsedMs / HOUR_MS) : null;
  let projectedFinish: string | null = null;
  let onTrack: boolean | null = null;
  if (now.remaining <= 0) {
    projectedFinish = formatInstant(nowMs);
    onTrack = true;
  } else if (pace && pace > 0) {
    const finishMs = cal.addWorkingMillis(nowMs, (now.remaining / pace) * HOUR_MS);
    projectedFinish = Number.isFinite(finishMs) ? formatInstant(finishMs) : null;
    onTrack = finishMs <= endMs;
  } else {
    warnings.push({ code: 'no-pace-yet', message: `nothing in ${sp.name} is done yet: no pace to project from`, sprintId: sp.id });
  }
  const current = work.filter((e) => inSprint(e, nowMs)).map((e) => ({ ...e, points: unit === 'count' ? 1 : e.history.estimate.at(nowMs) }));
  const evidence: Evidence<SprintProgressRole>[] = [
    ...scopeEvidence(current.filter((e) => index.isDoneAt(e.history, nowMs)), 'done', sp.id),
    ...scopeEvidence(current.filter((e) => !index.isDoneAt(e.history, nowMs)), 'remaining', sp.id),
    ...scopeEvidence(scope.added, 'added', sp.id),
    ...scopeEvidence(scope.removed, 'removed', sp.id),
  ];
  return {
    ...base,
    params: { ...base.params, sprintId: sp.id },
    evidence,
    warnings: [...warnings, ...scope.warnings],
    excluded: scope.excluded,
    details: { days },
    value: {
      sprintId: sp.id,
      name: sp.name,
      committed: round(committed),
      ...now,
      idealRemaining: ideal(nowDate),
      workingDaysElapsed: workingThrough(nowDate),
      workingDaysTotal: totalWorking,
      pacePerWorkingHour: pace === null ? null : round(pace, 3),
      projectedCompletedAtEnd: pace === null ? null : round(now.completed + pace * (leftMs / HOUR_MS)),
      projectedFinish,
      onTrack,
    },
  };
}

function pickSprint(index: HistoryIndex, sprintId: string | undefined): SprintSchedule | undefined {
  if (sprintId) {
    const s = index.sprint(sprintId);
    return s && s.startMs !== undefined && s.startMs <= index.asOfMs ? s : undefined;
  }
  const active = index.sprints.filter((s) => s.stateAtAsOf === 'active');
  return active[active.length - 1];
}

/**
 * How many working dates there are from `from` through a date (both included; 0 before `from`), counted once for
 * every date up to `last`: the burndown asks for each of its days, and a sprint left open for months past its end
 * has hundreds of them.
 */
function workingDaysFrom(cal: HistoryIndex['calendar'], from: string, last: string): (to: string) => number {
  const counts = new Map<string, number>();
  let n = 0;
  for (const d of cal.datesBetween(from, last)) {
    if (cal.isWorkingDate(d)) n++;
    counts.set(d, n);
  }
  return (to) => (to < from ? 0 : (counts.get(to) ?? cal.datesBetween(from, to).filter((d) => cal.isWorkingDate(d)).length));
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
