import { linearRegression, mean } from 'simple-statistics';
import type { HistoryIndex } from '../history/history-index';
import type { CustomerOutcomes, SurveyResponse } from '../model/outcomes';
import type { LocalDate } from '../model/types';
import { type Evidence, type MetricResult, type Warning, round } from '../result';
import { type Interval95, bootstrapInterval, wilsonInterval } from '../stats/intervals';
import { formatInstant, parseInstant } from '../time/instant';
import { resolveMetricOptions } from '../options/metric-options-schema';

export interface CustomerSatisfactionOptions {
  /** Complete months the trend covers (default 6). */
  readonly trendPeriods?: number;
  /** Seed of the NPS bootstrap (default 42). */
  readonly seed?: number;
}

/** CSAT of a set of ratings: share of 4-5, mean rating, with the share's Wilson interval. */
export interface CsatFigure {
  readonly share: number;
  readonly mean: number;
  readonly responses: number;
  readonly interval: Interval95;
}

/** NPS of a set of scores: % promoters (9-10) - % detractors (0-6), with a bootstrap interval. */
export interface NpsFigure {
  readonly score: number;
  readonly responses: number;
  readonly promoters: number;
  readonly passives: number;
  readonly detractors: number;
  readonly interval: Interval95;
}

export interface SatisfactionFigures {
  readonly csat: CsatFigure | null;
  readonly nps: NpsFigure | null;
}

export interface SatisfactionPeriod extends SatisfactionFigures {
  /** "2026-03" (month), the Monday of an ISO week ("2026-03-02"), or a release id. */
  readonly period: string;
  readonly from: string;
  readonly to: string;
}

export interface CustomerSatisfactionValue extends SatisfactionFigures {
  /** The month the value covers: the last complete month. */
  readonly month: string;
  /** Least-squares slope per calendar month over the last complete months with responses (a month without any is a gap); null under 2. */
  readonly csatTrend: number | null;
  readonly npsTrend: number | null;
}

export interface CustomerSatisfactionDetails {
  readonly months: readonly SatisfactionPeriod[];
  readonly weeks: readonly SatisfactionPeriod[];
  /** Responses that name a release, per release. */
  readonly releases: readonly SatisfactionPeriod[];
}

/** What customer satisfaction publishes in `params`: the trend's periods, the intervals' seed, the few-responses limit. */
export type CustomerSatisfactionParams = {
  readonly trendPeriods: number;
  readonly seed: number;
  /** Under this many responses in a period the figure moves a lot (a `few-responses` warning). */
  readonly fewResponses: number;
  readonly timeZone: string;
  readonly asOf: string;
};

/** The roles of its evidence, one per survey response: CSAT 4-5 satisfied, else not; NPS 9-10 promoter, 0-6 detractor. */
export type CustomerSatisfactionRole = 'satisfied' | 'not-satisfied' | 'promoter' | 'passive' | 'detractor';

export type CustomerSatisfactionResult = MetricResult<CustomerSatisfactionValue, CustomerSatisfactionDetails, CustomerSatisfactionParams, CustomerSatisfactionRole>;

/** Under this many responses a figure is shown, with a warning that it moves a lot. */
export const FEW_RESPONSES = 30;

/**
 * Customer satisfaction: CSAT and NPS of the survey responses (Jira Service Management request ratings,
 * imported surveys), per week, month and release.
 *
 * **CSAT** = share of ratings 4-5 on the 1-5 scale, with the mean rating and the share's 95 % Wilson interval.
 * **NPS** = % promoters (9-10) − % detractors (0-6) of the 0-10 scores, with a 95 % percentile-bootstrap interval
 * (seeded: same seed, same interval). Each with its response count; a `few-responses` warning under 30. The value
 * is the last complete month (the team's zone) with the trend (slope per month) over the last 6 complete months
 * that have responses. Neither Jira's nor Azure DevOps' reports show either beside the delivery history.
 *
 * @example customerSatisfaction(index, outcomes).value?.csat?.share // 0.8 for ratings 5, 4, 4, 3, 5
 */
export function customerSatisfaction(index: HistoryIndex, outcomes: CustomerOutcomes, options: CustomerSatisfactionOptions = {}): CustomerSatisfactionResult {
  const { trendPeriods, seed } = resolveMetricOptions('customerSatisfaction', options);
  const cal = index.calendar;
  const asOf = index.asOfMs;
  const responses = outcomes.responses.filter((r) => parseInstant(r.at) <= asOf).sort((a, b) => parseInstant(a.at) - parseInstant(b.at));
  const params: CustomerSatisfactionParams = { trendPeriods, seed, fewResponses: FEW_RESPONSES, timeZone: index.team.timeZone, asOf: formatInstant(asOf) };
  const warnings: Warning[] = [];

  const monthOf = (r: SurveyResponse) => cal.localDate(parseInstant(r.at)).slice(0, 7);
  const weekOf = (r: SurveyResponse) => cal.weekOf(parseInstant(r.at));
  const period = (key: string, from: LocalDate, to: LocalDate, rs: readonly SurveyResponse[]): SatisfactionPeriod => ({
    period: key,
    from: formatInstant(cal.startOfDate(from)),
    to: formatInstant(cal.endOfDate(to)),
    ...satisfactionFigures(rs, seed),
  });
  const months = groupBy(responses, monthOf).map(([m, rs]) => period(m, `${m}-01`, lastDayOfMonth(m), rs));
  const weeks = groupBy(responses, weekOf).map(([w, rs]) => period(w, w, cal.addDays(w, 6), rs));
  const releases = groupBy(
    responses.filter((r) => r.releaseId !== undefined),
    (r) => r.releaseId!,
  ).map(([id, rs]) => ({ ...period(id, cal.localDate(parseInstant(rs[0]!.at)), cal.localDate(parseInstant(rs[rs.length - 1]!.at)), rs), period: id }));
  const details = { months, weeks, releases };
  const base = { metric: 'customerSatisfaction' as const, unit: 'share', excluded: [], warnings, params, details };

  const thisMonth = cal.localDate(asOf).slice(0, 7);
  const lastMonth = previousMonth(thisMonth);
  const inLast = responses.filter((r) => monthOf(r) === lastMonth);
  if (inLast.length === 0) {
    return { ...base, value: null, reason: responses.length ? `no survey response in ${lastMonth}, the last complete month` : 'no survey response: connect Jira Service Management or import a survey', evidence: [] };
  }
  const value = satisfactionFigures(inLast, seed);
  for (const [kind, f] of [['csat', value.csat], ['nps', value.nps]] as const) {
    if (f && f.responses < FEW_RESPONSES) warnings.push({ code: 'few-responses', message: `${kind.toUpperCase()} of ${lastMonth} rests on ${f.responses} response(s): under ${FEW_RESPONSES}, it moves a lot from one month to the next` });
  }
  const complete = months.filter((m) => m.period < thisMonth).slice(-trendPeriods);
  const trend = (pick: (p: SatisfactionPeriod) => number | undefined) => {
    // x is the month's place in the calendar, so that a month without responses is a gap, not a step.
    const points = complete.flatMap((p) => {
      const y = pick(p);
      return y === undefined ? [] : [[monthNumber(p.period) - monthNumber(complete[0]!.period), y]];
    });
    return points.length >= 2 ? round(linearRegression(points).m, 3) : null;
  };
  return {
    ...base,
    value: { ...value, month: lastMonth, csatTrend: trend((p) => p.csat?.share), npsTrend: trend((p) => p.nps?.score) },
    evidence: inLast.map(responseEvidence),
  };
}

/** CSAT and NPS of a set of responses. */
export function satisfactionFigures(responses: readonly SurveyResponse[], seed: number): SatisfactionFigures {
  const ratings = responses.filter((r) => r.kind === 'csat').map((r) => r.score);
  const scores = responses.filter((r) => r.kind === 'nps').map((r) => r.score);
  const satisfied = ratings.filter((x) => x >= 4).length;
  return {
    csat: ratings.length ? { share: round(satisfied / ratings.length, 3), mean: round(mean(ratings), 2), responses: ratings.length, interval: wilsonInterval(satisfied, ratings.length) } : null,
    nps: scores.length
      ? {
          score: round(npsOf(scores), 1),
          responses: scores.length,
          promoters: scores.filter((x) => x >= 9).length,
          passives: scores.filter((x) => x === 7 || x === 8).length,
          detractors: scores.filter((x) => x <= 6).length,
          interval: bootstrapInterval(scores, npsOf, seed),
        }
      : null,
  };
}

/** % promoters - % detractors. */
function npsOf(scores: readonly number[]): number {
  let promoters = 0;
  let detractors = 0;
  for (const x of scores) {
    if (x >= 9) promoters++;
    else if (x <= 6) detractors++;
  }
  return ((promoters - detractors) / scores.length) * 100;
}

/** A survey response or service desk rating as evidence: its source (file and row, or request), score and day. */
export function responseEvidence(r: SurveyResponse): Evidence<CustomerSatisfactionRole> {
  const role = r.kind === 'csat' ? (r.score >= 4 ? 'satisfied' : 'not-satisfied') : r.score >= 9 ? 'promoter' : r.score <= 6 ? 'detractor' : 'passive';
  return { itemId: r.id, key: r.source, ...(r.url ? { url: r.url } : {}), role, contribution: r.score, note: `${r.kind.toUpperCase()} ${r.score} on ${r.at}` };
}

/** Groups in key order, each group in input (time) order. */
function groupBy<T>(xs: readonly T[], key: (x: T) => string): [string, T[]][] {
  const m = new Map<string, T[]>();
  for (const x of xs) {
    const k = key(x);
    const list = m.get(k);
    if (list) list.push(x);
    else m.set(k, [x]);
  }
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** "2026-04" -> months since year 0, for distances between months. */
function monthNumber(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return y * 12 + m - 1;
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function lastDayOfMonth(month: string): LocalDate {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}
