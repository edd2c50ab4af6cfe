import { median } from 'simple-statistics';
import { monteCarlo } from '../forecast/monte-carlo';
import type { HistoryIndex, Membership, WorkItemHistory } from '../history/history-index';
import { TimelineIndex, contains } from '../history/timeline-index';
import type { LocalDate, Release } from '../model/types';
import { type Evidence, type Exclusion, type MetricResult, type Warning, round } from '../result';
import { DAY_MS, formatInstant, parseInstant } from '../time/instant';
import { countsAs } from './kind-exclusion';
import { startedSprintScopes, sumPoints } from './sprint-scope';
import { type ResolvedOptions, resolveMetricOptions } from '../options/metric-options-schema';

export interface ReleasePredictabilityOptions {
  /** Released releases in the team figures (default 4, the latest). */
  readonly lastN?: number;
  /** `points` (estimates as at the baseline) or `count` (items); default follows the team's estimate unit. */
  readonly basis?: 'points' | 'count';
  /** Closed sprints sampled by the forecast (default 6). */
  readonly forecastSprints?: number;
  /** Weeks of throughput sampled when the team has no sprints (default 12). */
  readonly forecastWeeks?: number;
  readonly trials?: number;
  /** Seed of the forecast's random source (default 42): same seed, same dates. */
  readonly seed?: number;
}

export interface ReleaseFigure {
  readonly items: number;
  readonly points: number;
}

export interface ReleaseForecast {
  readonly remaining: ReleaseFigure;
  readonly sampledFrom: 'sprints' | 'weeks';
  readonly samples: readonly number[];
  readonly periodDays: number;
  readonly p50: LocalDate | null;
  readonly p85: LocalDate | null;
  readonly p95: LocalDate | null;
  /** Share of trials finishing on or before the planned date; null without a planned date. */
  readonly probabilityOnTime: number | null;
  readonly trials: number;
  readonly seed: number;
}

export interface ReleaseOutcome {
  readonly releaseId: string;
  readonly name: string;
  readonly state: 'released' | 'open';
  readonly baselineAt: string | null;
  /** How the baseline was found: the release's start, its first date snapshot, or its first item. */
  readonly baselineFrom: 'start' | 'first-snapshot' | 'first-item' | 'none';
  /** Planned date as at the baseline (the original plan). */
  readonly plannedDate: LocalDate | null;
  /** Planned date now (latest snapshot or the tracker's current value). */
  readonly latestPlannedDate: LocalDate | null;
  readonly releasedAt: string | null;
  readonly planned: ReleaseFigure;
  readonly delivered: ReleaseFigure;
  readonly added: ReleaseFigure;
  readonly dropped: ReleaseFigure;
  /** delivered / planned on the chosen basis; null while open or when nothing was planned. */
  readonly predictability: number | null;
  /** Actual release date - planned date, in days (open and overdue: days overdue so far). */
  readonly slipDays: number | null;
  readonly onTime: boolean | null;
  readonly forecast: ReleaseForecast | null;
  readonly evidence: readonly Evidence<ReleasePredictabilityRole>[];
}

export interface ReleasePredictabilityValue {
  /** Mean of the released releases' delivered / planned. */
  readonly predictability: number | null;
  readonly onTimeRate: number | null;
  readonly meanSlipDays: number | null;
  readonly releasesConsidered: number;
  /** Sprints' say/do over the forecast window: sum Completed / sum Committed. */
  readonly sprintSayDo: number | null;
  /** The next open release (earliest planned date) with a forecast of its planned date; null when none has one. */
  readonly nextRelease: { readonly releaseId: string; readonly name: string; readonly plannedDate: LocalDate; readonly probabilityOnTime: number } | null;
}

/** What release predictability publishes in `params`: the releases read, the basis, and the forecast's draws. */
export type ReleasePredictabilityParams = {
  readonly lastN: number;
  readonly basis: NonNullable<ResolvedOptions<'releasePredictability'>['basis']>;
  readonly forecastSprints: number;
  readonly forecastWeeks: number;
  readonly trials: number;
  readonly seed: number;
  readonly asOf: string;
  readonly timeZone: string;
};

/**
 * The roles of its evidence, per release: the planned scope at the baseline, what of it was delivered, the scope
 * added and dropped since, and (open releases) what remains.
 */
export type ReleasePredictabilityRole = 'planned' | 'delivered' | 'added' | 'dropped' | 'remaining';

export type ReleasePredictabilityResult = MetricResult<
  ReleasePredictabilityValue,
  { readonly releases: readonly ReleaseOutcome[] },
  ReleasePredictabilityParams,
  ReleasePredictabilityRole
>;

/**
 * Release predictability: how much of what a release planned it delivered, how late it shipped, and when
 * open releases will likely ship.
 *
 * Per release: **planned scope** = items in the release at its baseline (its start date, else its first date
 * snapshot), not already done then; **delivered** = planned items still in the release and done at its
 * release date; added and dropped scope beside; **slip** = actual release date - planned date (the date as at
 * the baseline). Trackers keep no history of release dates: snapshots taken at each sync are read, and
 * without one the tracker's current date is used with a warning. Team: predictability = mean delivered /
 * planned of the last 4 released releases (healthy 80-100 %, SAFe's predictability measure), on-time rate,
 * mean slip, sprint say/do. **Forecast** for open releases: Monte Carlo (10 000 seeded trials) drawing the
 * last 6 sprints' Completed (or weekly throughput without sprints) against the remaining scope -> P50 / P85 /
 * P95 dates and the probability of meeting the planned date.
 *
 * @example releasePredictability(index).value?.predictability // 0.75 for releases delivering 4/5 and 7/10
 */
export function releasePredictability(index: HistoryIndex, options: ReleasePredictabilityOptions = {}): ReleasePredictabilityResult {
  const { lastN, forecastSprints, forecastWeeks, trials, seed, ...chosen } = resolveMetricOptions('releasePredictability', options);
  const basis = chosen.basis ?? (index.team.estimateUnit === 'count' ? 'count' : 'points');
  const params: ReleasePredictabilityParams = { lastN, basis, forecastSprints, forecastWeeks, trials, seed, asOf: formatInstant(index.asOfMs), timeZone: index.team.timeZone };
  const warnings: Warning[] = [];
  const excluded: Exclusion[] = [];
  const sampling = forecastSamples(index, basis, forecastSprints, forecastWeeks);
  warnings.push(...sampling.warnings);

  const releases = [...index.releases]
    .map((r) => releaseOutcome({ index, basis, sampling: { ...sampling, trials, seed }, warnings, excluded }, r))
    .sort((a, b) => cmpLast(a.releasedAt, b.releasedAt) || cmpLast(a.latestPlannedDate, b.latestPlannedDate) || cmpLast(a.name, b.name));
  const released = releases.filter((r) => r.state === 'released').slice(-lastN);
  // From the figures, not the rounded per-release ratios, so that the mean is not rounded twice.
  const basisOf = (f: ReleaseFigure) => (basis === 'count' ? f.items : f.points);
  const ratios = released.filter((r) => basisOf(r.planned) > 0).map((r) => basisOf(r.delivered) / basisOf(r.planned));
  const slips = released.map((r) => r.slipDays).filter((x): x is number => x !== null);
  const judged = released.filter((r) => r.onTime !== null);
  const evidence = [...released.flatMap((r) => r.evidence), ...releases.filter((r) => r.state === 'open').flatMap((r) => r.evidence)];
  const base = { metric: 'releasePredictability' as const, unit: 'ratio', evidence, excluded, warnings, params, details: { releases } };
  if (releases.length === 0) return { ...base, value: null, reason: 'the team has no releases (Jira versions / Azure DevOps release iterations)' };
  if (ratios.length === 0) {
    return {
      ...base,
      value: null,
      reason: released.length ? 'no released release had planned scope at its baseline' : 'no release has shipped yet: see the forecast of the open ones',
    };
  }
  return {
    ...base,
    value: {
      predictability: round(ratios.reduce((a, b) => a + b, 0) / ratios.length, 3),
      onTimeRate: judged.length ? round(judged.filter((r) => r.onTime).length / judged.length, 3) : null,
      meanSlipDays: slips.length ? round(slips.reduce((a, b) => a + b, 0) / slips.length, 1) : null,
      releasesConsidered: released.length,
      sprintSayDo: sampling.sayDo,
      nextRelease: nextForecast(releases),
    },
  };
}

/** The first open release, by planned date, whose planned date has a forecast. */
function nextForecast(releases: readonly ReleaseOutcome[]): ReleasePredictabilityValue['nextRelease'] {
  const next = releases.find((r) => r.state === 'open' && r.latestPlannedDate !== null && r.forecast?.probabilityOnTime != null);
  return next ? { releaseId: next.releaseId, name: next.name, plannedDate: next.latestPlannedDate!, probabilityOnTime: next.forecast!.probabilityOnTime! } : null;
}

interface Sampling {
  readonly samples: number[];
  readonly from: 'sprints' | 'weeks';
  readonly periodDays: number;
  readonly sayDo: number | null;
  readonly warnings: Warning[];
}

function forecastSamples(index: HistoryIndex, basis: 'points' | 'count', nSprints: number, nWeeks: number): Sampling {
  const closed = startedSprintScopes(index).scopes.filter((s) => s.schedule.stateAtAsOf === 'closed').slice(-nSprints);
  if (closed.length > 0) {
    const samples = closed.map((s) => (basis === 'count' ? s.completed.length : round(sumPoints(s.completed))));
    const committed = closed.reduce((a, s) => a + sumPoints(s.committed), 0);
    const lengths = closed.map((s) => (s.endMs - s.startMs) / DAY_MS);
    return {
      samples,
      from: 'sprints',
      periodDays: Math.max(1, Math.round(median(lengths))),
      sayDo: committed > 0 ? round(closed.reduce((a, s) => a + sumPoints(s.completed), 0) / committed, 3) : null,
      warnings: [],
    };
  }
  // No sprints: weekly throughput over the last nWeeks whole weeks in the team's zone.
  const cal = index.calendar;
  const thisWeek = cal.weekOf(index.asOfMs);
  const weeks = Array.from({ length: nWeeks }, (_, i) => cal.addDays(thisWeek, -7 * (nWeeks - i)));
  const totals = new Map(weeks.map((w) => [w, 0]));
  for (const h of index.items) {
    if (!countsAs(h, 'delivery', index.team)) continue;
    for (const d of h.doneIntervals) {
      if (d.to !== Infinity && d.to <= index.asOfMs) continue; // reopened later: not a delivery
      const w = cal.weekOf(d.from);
      if (totals.has(w)) totals.set(w, totals.get(w)! + (basis === 'count' ? 1 : (h.estimate.at(d.from) ?? 0)));
    }
  }
  return {
    samples: weeks.map((w) => totals.get(w)!),
    from: 'weeks',
    periodDays: 7,
    sayDo: null,
    warnings: [{ code: 'forecast-from-throughput', message: `no closed sprint: forecasts sample weekly throughput of the last ${nWeeks} weeks` }],
  };
}

/** What every release of one computation shares: the index, the basis, the forecast's sampling, and where warnings and exclusions go. */
interface ReleaseContext {
  readonly index: HistoryIndex;
  readonly basis: 'points' | 'count';
  readonly sampling: Sampling & { readonly trials: number; readonly seed: number };
  readonly warnings: Warning[];
  readonly excluded: Exclusion[];
}

/** Memberships of a release's items by what happened to them (see the definitions on {@link releasePredictability}). */
interface ReleaseScope {
  readonly planned: Membership[];
  readonly added: Membership[];
  readonly delivered: Membership[];
  readonly dropped: Membership[];
  readonly remaining: Membership[];
}

function releaseOutcome(ctx: ReleaseContext, r: Release): ReleaseOutcome {
  const { index, basis } = ctx;
  const asOf = index.asOfMs;
  const members = index.releaseMemberships(r.id).filter((m) => countsAs(m.history, 'delivery', index.team));
  const dates = new TimelineIndex<LocalDate | null>(r.plannedDate, null);
  const { baselineMs, baselineFrom } = releaseBaseline(r, members, dates, asOf, ctx.warnings);
  const { plannedDate, latestPlannedDate } = plannedDates(r, dates, baselineMs, asOf, ctx.warnings);
  const releasedMs = r.releasedAt ? parseInstant(r.releasedAt) : undefined;
  const released = releasedMs !== undefined && releasedMs <= asOf;
  const endMs = released ? releasedMs! : asOf;
  const baseline = baselineMs ?? endMs;
  const scope = releaseScope(ctx, r, members, baselineMs, endMs, released);
  const pointsAt = (h: WorkItemHistory, t: number) => (basis === 'count' ? 1 : (h.estimate.at(t) ?? 0));
  const fig = (ms: Membership[], t: number): ReleaseFigure => ({ items: ms.length, points: round(ms.reduce((a, m) => a + pointsAt(m.history, t), 0)) });
  const planned = fig(scope.planned, baseline);
  const delivered = fig(scope.delivered, baseline);
  warnUnestimatedPlan(ctx, r, scope.planned, baseline);
  const basisOf = (f: ReleaseFigure) => (basis === 'count' ? f.items : f.points);
  const { slipDays, onTime } = slipOf(index, plannedDate, released ? releasedMs! : null);
  const forecast = released ? null : forecastRelease(index, r, scope.remaining, basis, latestPlannedDate, ctx.sampling, ctx.warnings);
  const rows = (ms: Membership[], role: ReleasePredictabilityRole, t: number): Evidence<ReleasePredictabilityRole>[] =>
    ms.map((m) => ({
      itemId: m.history.item.id,
      key: m.history.item.key,
      ...(m.history.item.url ? { url: m.history.item.url } : {}),
      title: m.history.item.title,
      role,
      contribution: pointsAt(m.history, t),
      releaseId: r.id,
    }));
  return {
    releaseId: r.id,
    name: r.name,
    state: released ? 'released' : 'open',
    baselineAt: baselineMs === undefined ? null : formatInstant(baselineMs),
    baselineFrom,
    plannedDate,
    latestPlannedDate,
    releasedAt: released ? formatInstant(releasedMs!) : null,
    planned,
    delivered,
    added: fig(scope.added, endMs),
    dropped: fig(scope.dropped, baseline),
    predictability: released && basisOf(planned) > 0 ? round(basisOf(delivered) / basisOf(planned), 3) : null,
    slipDays,
    onTime,
    forecast,
    evidence: [
      ...rows(scope.planned, 'planned', baseline),
      ...rows(scope.delivered, 'delivered', baseline),
      ...rows(scope.added, 'added', endMs),
      ...rows(scope.dropped, 'dropped', baseline),
      ...rows(scope.remaining, 'remaining', asOf),
    ],
  };
}

/** The release's baseline: its start, else its first date snapshot, else its first item (warned). */
function releaseBaseline(
  r: Release,
  members: readonly Membership[],
  dates: TimelineIndex<LocalDate | null>,
  asOf: number,
  warnings: Warning[],
): { baselineMs: number | undefined; baselineFrom: ReleaseOutcome['baselineFrom'] } {
  const firstSnapshot = dates.times[0];
  const firstItem = members.reduce<number | undefined>((a, m) => (a === undefined ? m.intervals[0]!.from : Math.min(a, m.intervals[0]!.from)), undefined);
  if (r.startAt && parseInstant(r.startAt) <= asOf) return { baselineMs: parseInstant(r.startAt), baselineFrom: 'start' };
  if (firstSnapshot !== undefined && firstSnapshot <= asOf) return { baselineMs: firstSnapshot, baselineFrom: 'first-snapshot' };
  if (firstItem !== undefined && firstItem <= asOf) {
    warnings.push({ code: 'release-without-baseline', message: `release ${r.name} has no start date or date snapshot: its baseline is its first item`, releaseId: r.id });
    return { baselineMs: firstItem, baselineFrom: 'first-item' };
  }
  return { baselineMs: undefined, baselineFrom: 'none' };
}

/** The planned date as at the baseline, else the first snapshot, else the tracker's current value (warned); and the latest one. */
function plannedDates(
  r: Release,
  dates: TimelineIndex<LocalDate | null>,
  baselineMs: number | undefined,
  asOf: number,
  warnings: Warning[],
): { plannedDate: LocalDate | null; latestPlannedDate: LocalDate | null } {
  if (dates.changes.length) {
    const plannedDate = (baselineMs !== undefined ? dates.at(baselineMs) : null) ?? dates.changes[0]!.value;
    return { plannedDate, latestPlannedDate: dates.at(asOf) ?? plannedDate };
  }
  if (r.currentPlannedDate) {
    warnings.push({
      code: 'release-date-not-snapshotted',
      message: `release ${r.name}: no snapshot of its planned date, so its current date ${r.currentPlannedDate} is used; a slip before the first sync is invisible`,
      releaseId: r.id,
    });
    return { plannedDate: r.currentPlannedDate, latestPlannedDate: r.currentPlannedDate };
  }
  return { plannedDate: null, latestPlannedDate: null };
}

/** Planned (in at the baseline, not done then), added, delivered, dropped and remaining memberships of a release. */
function releaseScope(ctx: ReleaseContext, r: Release, members: readonly Membership[], baselineMs: number | undefined, endMs: number, released: boolean): ReleaseScope {
  const { index } = ctx;
  const asOf = index.asOfMs;
  const inAt = (m: Membership, t: number) => contains(m.intervals, t) && index.existsAt(m.history, t);
  const planned: Membership[] = [];
  const added: Membership[] = [];
  for (const m of members) {
    if (baselineMs !== undefined && inAt(m, baselineMs)) {
      if (index.isDoneAt(m.history, baselineMs)) {
        ctx.excluded.push({ id: m.history.item.id, key: m.history.item.key, reason: `${r.name}: already done at the release's baseline` });
      } else planned.push(m);
    } else if (inAt(m, endMs) && (baselineMs === undefined || m.intervals.some((iv) => iv.from > baselineMs))) {
      added.push(m);
    }
  }
  return {
    planned,
    added,
    delivered: released ? planned.filter((m) => inAt(m, endMs) && index.isDoneAt(m.history, endMs)) : [],
    dropped: planned.filter((m) => !inAt(m, endMs)),
    remaining: released ? [] : members.filter((m) => inAt(m, asOf) && !index.isDoneAt(m.history, asOf)),
  };
}

function warnUnestimatedPlan(ctx: ReleaseContext, r: Release, planned: readonly Membership[], baseline: number): void {
  const unestimated = ctx.basis === 'points' ? planned.filter((m) => m.history.estimate.at(baseline) === null) : [];
  if (unestimated.length === 0) return;
  ctx.warnings.push({
    code: 'release-unestimated-scope',
    message: `release ${r.name}: ${unestimated.length} planned item(s) had no estimate at the baseline and count 0 points (${unestimated.slice(0, 5).map((m) => m.history.item.key).join(', ')})`,
    releaseId: r.id,
  });
}

/** Days between the planned date and the release date (open: days overdue so far, null while not overdue), and whether it was on time. */
function slipOf(index: HistoryIndex, plannedDate: LocalDate | null, releasedMs: number | null): { slipDays: number | null; onTime: boolean | null } {
  const cal = index.calendar;
  const released = releasedMs !== null;
  const actualDate = cal.localDate(released ? releasedMs : index.asOfMs);
  if (!plannedDate) return { slipDays: null, onTime: null };
  const d = cal.daysBetween(plannedDate, actualDate);
  return { slipDays: released ? d : d > 0 ? d : null, onTime: released ? actualDate <= plannedDate : null };
}

function forecastRelease(
  index: HistoryIndex,
  r: Release,
  remainingM: Membership[],
  basis: 'points' | 'count',
  plannedDate: LocalDate | null,
  sampling: Sampling & { trials: number; seed: number },
  warnings: Warning[],
): ReleaseForecast | null {
  const asOf = index.asOfMs;
  const cal = index.calendar;
  let remainingPoints = 0;
  const unestimated: string[] = [];
  const known = remainingM.map((m) => m.history.estimate.at(asOf)).filter((x): x is number => x !== null && x > 0);
  const fill = known.length ? median(known) : 1;
  for (const m of remainingM) {
    const e = m.history.estimate.at(asOf);
    if (basis === 'points' && (e === null || e === 0)) {
      unestimated.push(m.history.item.key);
      remainingPoints += fill;
    } else remainingPoints += basis === 'count' ? 1 : e!;
  }
  if (unestimated.length) {
    warnings.push({
      code: 'forecast-unestimated-scope',
      message: `release ${r.name}: ${unestimated.length} remaining item(s) are unestimated; each counts as the median remaining estimate (${fill})`,
      releaseId: r.id,
    });
  }
  const remaining = { items: remainingM.length, points: round(remainingPoints) };
  const amount = basis === 'count' ? remaining.items : remaining.points;
  if (sampling.samples.length === 0 || sampling.samples.every((s) => s === 0)) {
    warnings.push({ code: 'forecast-no-throughput', message: `release ${r.name}: nothing was completed in the sampled periods, so no date can be forecast`, releaseId: r.id });
    return null;
  }
  const f = monteCarlo({ samples: sampling.samples, remaining: amount, trials: sampling.trials, seed: sampling.seed });
  const dateAfter = (periods: number | null) => (periods === null ? null : cal.localDate(asOf + periods * sampling.periodDays * DAY_MS));
  let probabilityOnTime: number | null = null;
  if (plannedDate) {
    // Whole periods that end on or before the planned date.
    const daysLeft = cal.daysBetween(cal.localDate(asOf), plannedDate);
    probabilityOnTime = daysLeft < 0 ? (amount <= 0 ? 1 : 0) : round(f.probabilityWithin(Math.floor(daysLeft / sampling.periodDays)), 3);
  }
  return {
    remaining,
    sampledFrom: sampling.from,
    samples: sampling.samples,
    periodDays: sampling.periodDays,
    p50: dateAfter(f.p50),
    p85: dateAfter(f.p85),
    p95: dateAfter(f.p95),
    probabilityOnTime,
    trials: f.trials,
    seed: sampling.seed,
  };
}

/** Released first in date order, open ones (null) last. */
function cmpLast(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

