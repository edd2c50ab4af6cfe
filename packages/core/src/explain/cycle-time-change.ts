import { median } from 'simple-statistics';
import type { MetricsReport } from '../compute-metrics';
import type { Evidence, EvidenceEvent } from '../result';
import { round } from '../result';
import { DAY_MS, formatInstant, parseInstant } from '../time/instant';
import { type ChangeCause, type ChangeExplanation, byContribution, causeItem, meanOf, rankCauses } from './change-explanation';

export interface CycleTimeChangeOptions {
  /** Start of the period: items finished from this instant on (default 28 days before `until`). */
  readonly since?: string;
  /** End of the period (default the flow's asOf). */
  readonly until?: string;
}

interface Finished {
  readonly row: Evidence;
  readonly cycleDays: number;
  /** Days spent in each status between the first start and done. */
  readonly days: ReadonlyMap<string, number>;
  /** The event entering each status (the first, when an item came back to it). */
  readonly entered: ReadonlyMap<string, EvidenceEvent[]>;
}

/**
 * Why cycle time changed: the items finished in a period (default the last 28 days) against those finished
 * earlier in the flow window, in days.
 *
 * The figure explained is the mean cycle time, because a mean splits exactly: an item's cycle time is the sum
 * of the days it spent in each status from its first start to done (read from the status changes in its flow
 * evidence), so the change of the mean is the sum, over statuses, of the change of the mean days spent in
 * that status. Each status is a cause; it names the period's items that spent time in it, the longest first,
 * with the days and the event that brought them there. The median, which the KPI shows, is given alongside.
 *
 * @example cycleTimeChange(report, { since: '2025-03-17T00:00:00Z' }).causes[0] // { code: 'status-time', subject: 'In Review', effect: 2, ... } for 3 days a finished item in review, after 1
 */
export function cycleTimeChange(report: Pick<MetricsReport, 'flow'>, options: CycleTimeChangeOptions = {}): ChangeExplanation {
  const fl = report.flow;
  const asOf = String(fl.params['asOf'] ?? '');
  const untilMs = options.until !== undefined ? instant('until', options.until) : parseInstant(asOf);
  const sinceMs = options.since !== undefined ? instant('since', options.since) : untilMs - 28 * DAY_MS;
  if (!(sinceMs < untilMs)) throw new RangeError(`cycleTimeChange: since (${options.since}) must be before until (${formatInstant(untilMs)})`);
  const windowStart = fl.details.windowStart;
  const base = {
    kpi: 'cycleTime' as const,
    figure: 'mean cycle time',
    unit: 'days',
    params: { since: formatInstant(sinceMs), until: formatInstant(untilMs), windowStart },
  };
  const period = { label: `items finished ${formatInstant(sinceMs).slice(0, 10)} to ${formatInstant(untilMs).slice(0, 10)}`, from: formatInstant(sinceMs), to: formatInstant(untilMs) };
  const baselineLabel = { label: `items finished from ${windowStart.slice(0, 10)} until then`, from: windowStart, to: formatInstant(sinceMs) };
  const rows = new Map(fl.evidence.filter((e) => e.role === 'finished').map((e) => [e.itemId, e]));
  const all = fl.details.finished.flatMap((f): (Finished & { at: number })[] => {
    const row = rows.get(f.itemId);
    return f.cycleDays === null || !row ? [] : [{ ...statusDays(row), row, cycleDays: f.cycleDays, at: parseInstant(f.finishedAt) }];
  });
  const now = all.filter((f) => f.at >= sinceMs && f.at <= untilMs);
  const earlier = all.filter((f) => f.at < sinceMs);
  const none = (reason: string): ChangeExplanation => ({
    ...base,
    period: { ...period, size: now.length },
    baseline: { ...baselineLabel, size: earlier.length },
    before: earlier.length ? round(meanOf(earlier.map((f) => f.cycleDays))) : null,
    after: now.length ? round(meanOf(now.map((f) => f.cycleDays))) : null,
    change: null,
    causes: [],
    alongside: [],
    reason,
  });
  if (now.length === 0) return none(`no item with a cycle time finished from ${period.from} to ${period.to}`);
  if (earlier.length === 0) return none(`no item with a cycle time finished in the flow window before ${period.from}: nothing to compare with`);

  const before = meanOf(earlier.map((f) => f.cycleDays));
  const after = meanOf(now.map((f) => f.cycleDays));
  const statuses = [...new Set([...now, ...earlier].flatMap((f) => [...f.days.keys()]))];
  const meanIn = (list: readonly Finished[], s: string) => meanOf(list.map((f) => f.days.get(s) ?? 0));
  const causes: ChangeCause[] = statuses.map((s) => ({
    code: 'status-time',
    kind: 'part' as const,
    subject: s,
    effect: meanIn(now, s) - meanIn(earlier, s),
    measure: { now: round(meanIn(now, s)), usual: round(meanIn(earlier, s)), unit: 'days per item', nowItems: now.filter((f) => f.days.has(s)).length },
    items: now
      .filter((f) => (f.days.get(s) ?? 0) > 0)
      .map((f) => causeItem(f.row, round(f.days.get(s)!), f.entered.get(s) ?? []))
      .sort(byContribution),
  }));
  const explained = causes.reduce((a, c) => a + c.effect, 0);
  causes.push({ code: 'other', kind: 'part', effect: after - before - explained, detail: { about: 'rounding of cycle times, and time before the first recorded status change' }, items: [] });
  return {
    ...base,
    period: { ...period, size: now.length },
    baseline: { ...baselineLabel, size: earlier.length },
    before: round(before),
    after: round(after),
    change: round(after - before),
    causes: rankCauses(causes),
    alongside: [
      { figure: 'median cycle time', unit: 'days', before: round(median(earlier.map((f) => f.cycleDays))), after: round(median(now.map((f) => f.cycleDays))) },
      { figure: 'items finished', unit: 'items', before: earlier.length, after: now.length },
    ],
  };
}

/** Days in each status from the evidence's status changes: the time from one change to the next. */
function statusDays(row: Evidence): Pick<Finished, 'days' | 'entered'> {
  const events = (row.events ?? []).filter((e) => e.field === 'status');
  const days = new Map<string, number>();
  const entered = new Map<string, EvidenceEvent[]>();
  for (let k = 0; k + 1 < events.length; k++) {
    const status = String(events[k]!.to);
    days.set(status, (days.get(status) ?? 0) + (parseInstant(events[k + 1]!.at) - parseInstant(events[k]!.at)) / DAY_MS);
    if (!entered.has(status)) entered.set(status, [events[k]!]);
  }
  return { days, entered };
}

function instant(name: string, iso: string): number {
  const ms = parseInstant(iso);
  if (Number.isNaN(ms)) throw new RangeError(`cycleTimeChange: ${name} must be an ISO-8601 instant with an offset, such as 2025-06-02T00:00:00Z, got '${iso}'`);
  return ms;
}
