import { median } from 'simple-statistics';
import type { MetricsReport } from '../compute-metrics';
import { monteCarlo } from '../forecast/monte-carlo';
import type { ReleaseForecast, ReleaseOutcome } from '../metrics/release-predictability';
import type { Evidence } from '../result';
import { round } from '../result';
import { DAY_MS, parseInstant } from '../time/instant';
import { TeamCalendar } from '../time/team-calendar';
import { type ChangeCause, type ChangeExplanation, byContribution, causeItem, meanOf, pickByIdOrName, rankCauses } from './change-explanation';

export interface ForecastChangeOptions {
  /** The release, by id or name; default the first open release with a forecast. */
  readonly release?: string;
}

type Reports = Pick<MetricsReport, 'team' | 'releasePredictability'>;

/**
 * Why a release's forecast moved between an earlier forecast (`previous`, the same data computed at an earlier
 * asOf) and this one: the change of the P85 date in days.
 *
 * The Monte Carlo forecast is not additive, so its change is split by replaying it one difference at a time,
 * with the same trials and seed, each step measured in days of P85 after the steps before it: time passed
 * (the same forecast, started from the later asOf), then the remaining scope — work finished since, scope
 * dropped from the release, re-estimates (and estimates filled in), scope added — and last the throughput
 * (the sampled sprints or weeks, and their length). The steps add up to the change exactly; their order is
 * fixed, because a step's size depends on the ones before it. Each scope step names its items with their
 * points (unestimated items count the median remaining estimate, as the forecast counts them).
 *
 * @example forecastChange(earlier, now, { release: '2.4' }).change // 14 for a P85 date that moved from 2025-05-13 to 2025-05-27
 */
export function forecastChange(previous: Reports, report: Reports, options: ForecastChangeOptions = {}): ChangeExplanation {
  const rp = report.releasePredictability;
  const basis = rp.params['basis'] === 'count' ? 'count' : 'points';
  const unit = basis === 'count' ? 'items' : report.team.estimateUnit;
  const cal = TeamCalendar.of(report.team);
  const asOf0 = String(previous.releasePredictability.params['asOf']);
  const asOf1 = String(rp.params['asOf']);
  const releases = rp.details.releases;
  const base = {
    kpi: 'releaseForecast' as const,
    figure: 'P85 date (85 % of simulated futures finish by then)',
    unit: 'days',
    period: { label: `the forecast as of ${cal.localDate(parseInstant(asOf1))}`, to: asOf1 },
    baseline: { label: `the forecast as of ${cal.localDate(parseInstant(asOf0))}`, to: asOf0 },
    params: { basis, previousAsOf: asOf0, asOf: asOf1, steps: STEPS, ...(options.release ? { release: options.release } : {}) },
  };
  const at = options.release === undefined ? releases.findIndex((r) => r.state === 'open' && r.forecast !== null) : pickByIdOrName(releases, (r) => r.releaseId, options.release, 'release');
  const none = (reason: string, r1?: ReleaseOutcome, r0?: ReleaseOutcome): ChangeExplanation => ({
    ...base,
    before: r0?.forecast?.p85 ?? null,
    after: r1?.forecast?.p85 ?? null,
    change: null,
    causes: [],
    alongside: [],
    reason,
  });
  if (at < 0) return none('no open release has a forecast');
  const r1 = releases[at]!;
  const r0 = previous.releasePredictability.details.releases.find((r) => r.releaseId === r1.releaseId);
  if (r1.state === 'released') return none(`${r1.name} was released on ${r1.releasedAt?.slice(0, 10)}: there is no forecast to explain`, r1, r0);
  if (!r0 || r0.state !== 'open') return none(`${r1.name} had no open forecast as of ${asOf0}: there is nothing to compare with`, r1, r0);
  const f0 = r0.forecast;
  const f1 = r1.forecast;
  if (!f0?.p85 || !f1?.p85) {
    return none(`${r1.name} has no P85 date ${!f0?.p85 ? `as of ${asOf0}` : 'now'} (nothing completed in the sampled periods, or beyond the forecast's horizon)`, r1, r0);
  }

  const remaining0 = r0.evidence.filter((e) => e.role === 'remaining');
  const remaining1 = r1.evidence.filter((e) => e.role === 'remaining');
  const amount0 = forecastAmounts(remaining0, basis);
  const amount1 = forecastAmounts(remaining1, basis);
  const ids1 = new Set(remaining1.map((e) => e.itemId));
  const ids0 = new Set(remaining0.map((e) => e.itemId));
  const stillIn = new Set(r1.evidence.filter((e) => e.role === 'added' || e.role === 'planned').map((e) => e.itemId));
  for (const e of r1.evidence) if (e.role === 'dropped') stillIn.delete(e.itemId);
  const gone = remaining0.filter((e) => !ids1.has(e.itemId));
  const finished = gone.filter((e) => stillIn.has(e.itemId));
  const dropped = gone.filter((e) => !stillIn.has(e.itemId));
  const common = remaining1.filter((e) => ids0.has(e.itemId) && amount1.get(e.itemId) !== amount0.get(e.itemId));
  const added = remaining1.filter((e) => !ids0.has(e.itemId));
  const sum = (rows: readonly Evidence[], amounts: ReadonlyMap<string, number>) => rows.reduce((a, e) => a + amounts.get(e.itemId)!, 0);
  const reEstimate = (e: Evidence) => amount1.get(e.itemId)! - amount0.get(e.itemId)!;

  const p85 = (remaining: number, f: ReleaseForecast, asOfMs: number) => {
    const periods = monteCarlo({ samples: f.samples, remaining: round(remaining), trials: f.trials, seed: f.seed }).p85;
    return periods === null ? null : cal.localDate(asOfMs + periods * f.periodDays * DAY_MS);
  };
  const a0 = parseInstant(asOf0);
  const a1 = parseInstant(asOf1);
  let scope = f0.remaining[basis === 'count' ? 'items' : 'points'];
  const steps: { code: (typeof STEPS)[number]; date: string | null; cause: Omit<ChangeCause, 'effect' | 'code' | 'kind'> }[] = [];
  const scopeStep = (code: (typeof STEPS)[number], delta: number, rows: readonly Evidence[], amounts: (e: Evidence) => number) => {
    scope += delta;
    steps.push({
      code,
      date: p85(scope, f0, a1),
      cause: { measure: { now: round(delta), usual: null, unit, nowItems: rows.length }, items: rows.map((e) => causeItem(e, round(amounts(e)))).sort(byContribution) },
    });
  };
  const start = p85(scope, f0, a0);
  steps.push({ code: 'time-passed', date: p85(scope, f0, a1), cause: { measure: { now: round((a1 - a0) / DAY_MS, 1), usual: null, unit: 'days' }, items: [] } });
  scopeStep('work-finished', -sum(finished, amount0), finished, (e) => amount0.get(e.itemId)!);
  scopeStep('scope-dropped', -sum(dropped, amount0), dropped, (e) => amount0.get(e.itemId)!);
  scopeStep('re-estimated', common.reduce((a, e) => a + reEstimate(e), 0), common, reEstimate);
  scopeStep('scope-added', sum(added, amount1), added, (e) => amount1.get(e.itemId)!);
  const perPeriod = (f: ReleaseForecast) => round(meanOf(f.samples));
  steps.push({
    code: 'throughput',
    date: f1.p85,
    cause: {
      measure: { now: perPeriod(f1), usual: perPeriod(f0), unit: `${unit} per ${f1.sampledFrom === 'sprints' ? 'sprint' : 'week'}` },
      detail: { samplesBefore: f0.samples, samplesAfter: f1.samples, periodDaysBefore: f0.periodDays, periodDaysAfter: f1.periodDays, sampledFrom: f1.sampledFrom },
      items: [],
    },
  });
  if (start === null || steps.some((s) => s.date === null)) {
    return none(`replaying the forecast step by step goes beyond its horizon, so ${r1.name}'s change cannot be split`, r1, r0);
  }
  const causes: ChangeCause[] = [];
  let from = start;
  for (const s of steps) {
    causes.push({ code: s.code, kind: 'part', effect: cal.daysBetween(from, s.date!), ...s.cause });
    from = s.date!;
  }
  // The replay starts from the earlier forecast's own inputs, so it lands on its P85 date; if it ever did not, say so.
  if (start !== f0.p85) causes.push({ code: 'other', kind: 'part', effect: cal.daysBetween(f0.p85, start), detail: { about: 'the earlier forecast could not be replayed exactly' }, items: [] });
  return {
    ...base,
    period: { ...base.period, size: remaining1.length },
    baseline: { ...base.baseline, size: remaining0.length },
    before: f0.p85,
    after: f1.p85,
    change: cal.daysBetween(f0.p85, f1.p85),
    causes: rankCauses(causes),
    alongside: [
      { figure: 'probability of the planned date', unit: 'ratio', before: f0.probabilityOnTime, after: f1.probabilityOnTime },
      { figure: 'planned date', unit: 'date', before: r0.latestPlannedDate, after: r1.latestPlannedDate },
      { figure: 'remaining scope', unit, before: f0.remaining[basis === 'count' ? 'items' : 'points'], after: f1.remaining[basis === 'count' ? 'items' : 'points'] },
    ],
  };
}

/** The steps of the replay, in the order they are applied. */
const STEPS = ['time-passed', 'work-finished', 'scope-dropped', 're-estimated', 'scope-added', 'throughput'] as const;

/**
 * What each remaining item weighs in the forecast: its estimate, or the median of the remaining estimates when
 * it has none (as `releasePredictability` fills them); 1 each when the basis is items.
 */
function forecastAmounts(rows: readonly Evidence[], basis: 'points' | 'count'): Map<string, number> {
  if (basis === 'count') return new Map(rows.map((e) => [e.itemId, 1]));
  const known = rows.map((e) => e.contribution ?? 0).filter((x) => x > 0);
  const fill = known.length ? median(known) : 1;
  return new Map(rows.map((e) => [e.itemId, (e.contribution ?? 0) > 0 ? e.contribution! : fill]));
}
