import {
  type CustomerOutcomes,
  HistoryIndex,
  type OutcomeRecord,
  bindOutcomes,
  customerSatisfaction,
  featureAdoption,
  parseSnapshot,
  releaseImpact,
  releasePredictability,
  roi,
} from '@agile-kpi/core';
import { type SimulateOutcomesOptions, simulateOutcomes, simulateTeam } from '@agile-kpi/testkit';
import { DateTime } from 'luxon';

/**
 * The customer-outcome measures against series whose effects were set, not measured: the simulator draws survey
 * answers from a known distribution that one release lifts by a set amount from the instant it ships, usage that
 * follows a set adoption curve from the day a feature's release shipped, and a benefit per month for an epic whose
 * cost the team's history fixes. Every expected figure below is computed here from the records and the simulator's
 * truth (its distributions, curves, completed points per sprint), with none of the measures' code.
 */
const team = simulateTeam({ seed: 3, sprints: 18, featureEpics: ['export', 'search', 'late'] });
const { snapshot, truth } = team;
const index = new HistoryIndex(parseSnapshot(JSON.parse(JSON.stringify(snapshot))));
const asOfMs = Date.parse(snapshot.asOf);
const zone = snapshot.team.timeZone;
const DAY = 86_400_000;
const WEEK = 7 * DAY;

const shipped = truth.releases.filter((r) => r.releasedAt !== null);
/** The release that lifts satisfaction: the third one, so that releases before and after it have none. */
const lift = shipped[2]!;
const liftMs = Date.parse(lift.releasedAt!);

const CSAT_BASELINE = [0.05, 0.1, 0.25, 0.35, 0.25]; // P(4-5) = 0.6
const NPS_BASELINE = [0.02, 0.02, 0.02, 0.03, 0.03, 0.08, 0.1, 0.2, 0.2, 0.15, 0.15]; // 30 % promoters, 30 % detractors: NPS 0
const CSAT_LIFT = 0.25; // 60 % -> 85 % satisfied
const NPS_LIFT = 40; // 0 -> 40

/** The records bound to the board as the CLI binds the store's (parseOutcomes accepts them unchanged: the testkit's own test). */
function outcomesOf(records: readonly OutcomeRecord[], settings = {}): CustomerOutcomes {
  const { outcomes, unresolved } = bindOutcomes(snapshot, records, settings);
  expect(unresolved).toEqual([]);
  return outcomes;
}

const surveys = (seed: number, perWeek: number, from?: string): SimulateOutcomesOptions => ({
  seed,
  csat: { perWeek, baseline: CSAT_BASELINE, ...(from ? { from } : {}) },
  nps: { perWeek, baseline: NPS_BASELINE, ...(from ? { from } : {}) },
  effects: [{ release: lift.releaseId, csat: CSAT_LIFT, nps: NPS_LIFT }],
});

// Independent arithmetic: the figures by their definitions (docs/metrics.md).
type Answer = { kind: 'csat' | 'nps'; ms: number; score: number };
const answersOf = (records: readonly OutcomeRecord[]): Answer[] =>
  records.flatMap((r) => (r.kind === 'csat' || r.kind === 'nps' ? [{ kind: r.kind, ms: Date.parse(r.at!), score: r.score }] : []));
const csatShare = (xs: readonly Answer[]) => xs.filter((x) => x.score >= 4).length / xs.length;
const nps = (xs: readonly Answer[]) => (100 * (xs.filter((x) => x.score >= 9).length - xs.filter((x) => x.score <= 6).length)) / xs.length;
/** Wilson score interval, 95 %: (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n). */
function wilson(k: number, n: number): [number, number] {
  const z = 1.959963984540054;
  const p = k / n;
  const centre = p + (z * z) / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [(centre - spread) / (1 + (z * z) / n), (centre + spread) / (1 + (z * z) / n)];
}
const inside = (x: number, [lo, hi]: readonly [number, number], slack = 0) => x >= lo - slack && x <= hi + slack;

describe('release impact finds the release that lifted satisfaction, and no change where there was none', () => {
  const predictability = releasePredictability(index, { trials: 200 });
  const SEEDS = Array.from({ length: 6 }, (_, i) => i + 1);
  const runs = SEEDS.map((seed) => {
    const o = simulateOutcomes(team, surveys(seed, 60));
    const outcomes = outcomesOf(o.records);
    return { seed, o, impact: releaseImpact(index, outcomes, predictability, featureAdoption(index, outcomes)) };
  });

  it('the releases are far enough apart that a 4-week window of another release never straddles the lift', () => {
    for (const r of shipped) {
      const gap = Math.abs(Date.parse(r.releasedAt!) - liftMs);
      if (r !== lift) expect(gap).toBeGreaterThanOrEqual(4 * WEEK);
    }
    expect(runs[0]!.impact.details.releases.map((r) => r.releaseId)).toEqual(shipped.map((r) => r.releaseId));
  });

  it.each(SEEDS)('seed %i: CSAT and NPS up after the lifting release, the 4-week figures as counted from the answers', (seed) => {
    const { o, impact } = runs[seed - 1]!;
    const row = impact.details.releases.find((r) => r.releaseId === lift.releaseId)!;
    expect([row.csatChange, row.npsChange]).toEqual(['up', 'up']);
    const answers = answersOf(o.records);
    for (const [side, from, to] of [['before', liftMs - 4 * WEEK, liftMs], ['after', liftMs, Math.min(liftMs + 4 * WEEK, asOfMs + 1)]] as const) {
      const csat = answers.filter((a) => a.kind === 'csat' && a.ms >= from && a.ms < to);
      const scores = answers.filter((a) => a.kind === 'nps' && a.ms >= from && a.ms < to);
      const figures = row[side];
      expect(figures.csat!.responses).toBe(csat.length);
      expect(figures.csat!.share).toBeCloseTo(csatShare(csat), 3);
      const k = csat.filter((a) => a.score >= 4).length;
      expect(figures.csat!.interval[0]).toBeCloseTo(wilson(k, csat.length)[0], 3);
      expect(figures.csat!.interval[1]).toBeCloseTo(wilson(k, csat.length)[1], 3);
      expect(figures.nps!.responses).toBe(scores.length);
      expect(figures.nps!.score).toBeCloseTo(nps(scores), 1);
      expect(inside(figures.nps!.score, figures.nps!.interval)).toBe(true);
      // 60 answers a week of each kind: 4 weeks hold 240, give or take the part weeks' rounding.
      expect(csat.length).toBeGreaterThan(225);
    }
    // The true figures either side are the baseline and the lifted one.
    expect(o.truth.csatShareAt(liftMs - 1)).toBeCloseTo(0.6, 12);
    expect(o.truth.csatShareAt(liftMs)).toBeCloseTo(0.85, 12);
    expect(o.truth.npsAt(liftMs - 1)).toBeCloseTo(0, 9);
    expect(o.truth.npsAt(liftMs)).toBeCloseTo(40, 9);
  });

  it('no change for the releases with no effect: their intervals overlap in all but a rare seed', () => {
    // Two samples of one distribution: 95 % intervals fail to overlap with a probability of about 0.6 % (the
    // difference beyond 2 x 1.96 standard errors of one, i.e. 2.77 of the difference's), so a run of
    // 6 seeds x (releases - 1) x 2 figures may show one at most.
    const calls = runs.flatMap(({ impact }) => impact.details.releases.filter((r) => r.releaseId !== lift.releaseId).flatMap((r) => [r.csatChange, r.npsChange]));
    expect(calls.length).toBe(SEEDS.length * (shipped.length - 1) * 2);
    expect(calls.filter((c) => c !== 'none').length).toBeLessThanOrEqual(1);
    expect(calls.every((c) => c !== null)).toBe(true);
  });
});

describe('CSAT share and NPS per month against the true probability', () => {
  /** Answers from 1 April: the months April to August are complete at asOf (September), the lift falls inside May. */
  const FROM = '2025-04-01';
  const MONTHS = ['2025-04', '2025-05', '2025-06', '2025-07', '2025-08'];
  const monthOf = (ms: number) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM');
  // CSAT over 50 seeds; NPS (whose interval is a bootstrap of 2 000 redraws per month and per week) over 12.
  const run = (seeds: number, first: number, kind: 'csat' | 'nps') =>
    Array.from({ length: seeds }, (_, i) => {
      const seed = first + i;
      const o = simulateOutcomes(team, { seed, [kind]: { perWeek: 30, baseline: kind === 'csat' ? CSAT_BASELINE : NPS_BASELINE, from: FROM }, effects: [{ release: lift.releaseId, csat: CSAT_LIFT, nps: NPS_LIFT }] });
      return { o, result: customerSatisfaction(index, outcomesOf(o.records), { seed }) };
    });
  const csatRuns = run(50, 100, 'csat');
  const npsRuns = run(12, 200, 'nps');
  type Run = (typeof csatRuns)[number];
  type Month = Run['result']['details']['months'][number];
  /** Checks every complete month of every run against its answers; the share of months whose interval covered the truth. */
  function coverage(runs: readonly Run[], covers: (m: Month, answers: Answer[], truth: Run['o']['truth']) => boolean): number {
    let checked = 0;
    let covered = 0;
    for (const { o, result } of runs) {
      const answers = answersOf(o.records);
      const months = result.details.months.filter((m) => m.period < monthOf(asOfMs));
      expect(months.map((m) => m.period)).toEqual(MONTHS);
      for (const m of months) {
        checked++;
        if (covers(m, answers.filter((a) => monthOf(a.ms) === m.period), o.truth)) covered++;
      }
    }
    expect(checked).toBe(runs.length * MONTHS.length);
    return covered / checked;
  }

  it('each complete month: CSAT counted from the answers; its Wilson interval covers the true share in at least 90 % of the 250 months of 50 seeds', () => {
    const share = coverage(csatRuns, (m, csat, truth) => {
      const k = csat.filter((a) => a.score >= 4).length;
      expect([m.period, m.csat!.responses, m.nps]).toEqual([m.period, csat.length, null]);
      expect(m.csat!.share).toBeCloseTo(k / csat.length, 3);
      expect(m.csat!.mean).toBeCloseTo(csat.reduce((a, x) => a + x.score, 0) / csat.length, 2);
      expect(m.csat!.interval[0]).toBeCloseTo(wilson(k, csat.length)[0], 3);
      expect(m.csat!.interval[1]).toBeCloseTo(wilson(k, csat.length)[1], 3);
      // The true share of the month given when its answers came: the mean of their true probabilities (May,
      // which holds the lift, mixes the two distributions). The interval is rounded to 3 decimals: half a unit of slack.
      const trueShare = csat.reduce((a, x) => a + truth.csatShareAt(x.ms), 0) / csat.length;
      return inside(trueShare, m.csat!.interval, 0.0005);
    });
    expect(share).toBeGreaterThanOrEqual(0.9);
    // A nominal 95 % interval that never missed would be too wide to find a lift.
    expect(share).toBeLessThan(1);
  });

  it('each complete month: NPS counted from the answers; its bootstrap interval covers the true NPS in at least 90 % of the 60 months of 12 seeds', () => {
    const share = coverage(npsRuns, (m, scores, truth) => {
      expect([m.period, m.nps!.responses, m.csat]).toEqual([m.period, scores.length, null]);
      expect(m.nps!.score).toBeCloseTo(nps(scores), 1);
      expect([m.nps!.promoters, m.nps!.passives, m.nps!.detractors]).toEqual([scores.filter((x) => x.score >= 9).length, scores.filter((x) => x.score === 7 || x.score === 8).length, scores.filter((x) => x.score <= 6).length]);
      const trueNps = scores.reduce((a, x) => a + truth.npsAt(x.ms), 0) / scores.length;
      return inside(trueNps, m.nps!.interval, 0.05);
    });
    expect(share).toBeGreaterThanOrEqual(0.9);
  });

  it('each week (Monday to Sunday in the team zone): the answers counted, and the share of 4-5', () => {
    for (const { o, result } of csatRuns.slice(0, 3)) {
      const answers = answersOf(o.records);
      const weekOf = (ms: number) => DateTime.fromMillis(ms, { zone }).startOf('week').toISODate()!;
      const weeks = [...new Set(answers.map((a) => weekOf(a.ms)))].sort();
      expect(result.details.weeks.map((w) => w.period)).toEqual(weeks);
      for (const w of result.details.weeks) {
        const inWeek = answers.filter((a) => weekOf(a.ms) === w.period);
        expect([w.period, w.csat!.responses, w.csat!.share]).toEqual([w.period, inWeek.length, Math.round(csatShare(inWeek) * 1000) / 1000]);
      }
    }
  });

  it('the value is the last complete month, and the trend over the months rises with the lift', () => {
    for (const { result } of [...csatRuns.slice(0, 5), ...npsRuns.slice(0, 5)]) {
      expect(result.value!.month).toBe('2025-08');
      const august = result.details.months.find((m) => m.period === '2025-08')!;
      expect([result.value!.csat, result.value!.nps]).toEqual([august.csat, august.nps]);
      // April and part of May at the baseline, then the lifted figure: a least-squares slope above zero.
      expect(result.value!.csatTrend ?? result.value!.npsTrend!).toBeGreaterThan(0);
    }
  });
});

describe('feature adoption follows the set curve', () => {
  const TARGET = 0.2;
  // The target is reached between whole days, far enough from either that the rows' rounding cannot move it.
  const o = simulateOutcomes(team, {
    seed: 11,
    adoption: [
      { feature: 'export', curve: { kind: 'logistic', plateau: 0.4, midpoint: 21.5, steepness: 0.2 } },
      { feature: 'search', curve: { kind: 'linear', plateau: 0.3, days: 50 }, activeUsers: 2_000 },
      { feature: 'late', curve: { kind: 'linear', plateau: 0.45, days: 20 } },
      { feature: 'reports', release: shipped[0]!.releaseId, curve: { kind: 'logistic', plateau: 0.3, midpoint: 35, steepness: 0.12 } },
    ],
  });
  const outcomes = outcomesOf(o.records, o.settings);
  const result = featureAdoption(index, outcomes, { target: TARGET });
  const rowOf = (feature: string) => result.details.features.find((f) => f.feature === feature)!;
  const today = DateTime.fromMillis(asOfMs, { zone }).toISODate()!;
  const daysTo = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);

  it.each(['export', 'search', 'late', 'reports'])('%s: released on the day its release shipped (the team zone)', (feature) => {
    const t = o.truth.features.find((f) => f.feature === feature)!;
    const fromSimulator = feature === 'reports' ? shipped[0]!.releasedAt! : truth.features.find((f) => f.feature === feature)!.shippedAt!;
    expect(t.releasedOn).toBe(DateTime.fromISO(fromSimulator).setZone(zone).toISODate());
    expect(rowOf(feature)).toMatchObject({ releasedOn: t.releasedOn, releaseId: t.releaseId });
    expect(rowOf(feature).reason).toBeUndefined();
  });

  it.each(['export', 'search', 'late', 'reports'])('%s: adoption at 7, 30 and 90 days is the curve there (null until the day has come)', (feature) => {
    const t = o.truth.features.find((f) => f.feature === feature)!;
    const row = rowOf(feature);
    // users = round(curve x active users), shown to 3 decimals: at most 0.5 / 1 800 + 0.0005 off.
    const tolerance = 0.5 / 1_800 + 0.0005;
    for (const d of [7, 30, 90]) {
      const reached = daysTo(t.releasedOn, today) >= d;
      const at = row.at[String(d)];
      if (!reached) expect([d, at]).toEqual([d, null]);
      else expect([d, Math.abs(at! - t.adoptionAt(d)) <= tolerance]).toEqual([d, true]);
    }
    expect(row.curve.length).toBe(daysTo(t.releasedOn, today) + 1);
    for (const c of row.curve) expect([c.day, Math.abs(c.adoption - t.adoptionAt(c.day)) <= tolerance]).toEqual([c.day, true]);
  });

  it('days to the target is the curve inverse, rounded up to the first whole day', () => {
    for (const feature of ['export', 'search', 'late', 'reports']) {
      const t = o.truth.features.find((f) => f.feature === feature)!;
      const inverse = t.dayReaching(TARGET);
      const row = rowOf(feature);
      if (inverse === null || Math.ceil(inverse) > daysTo(t.releasedOn, today)) {
        expect([feature, row.daysToTarget]).toEqual([feature, null]);
        continue;
      }
      const day = Math.ceil(inverse);
      // The day before falls short and the day reaches it by more than the rows' rounding.
      expect(t.adoptionAt(day) - TARGET).toBeGreaterThan(0.001);
      if (day > 0) expect(TARGET - t.adoptionAt(day - 1)).toBeGreaterThan(0.001);
      expect([feature, row.daysToTarget]).toEqual([feature, day]);
    }
    // export: 21.5 - ln(0.4 / 0.2 - 1) / 0.2 = 21.5 -> 22; search: 0.2 x 50 / 0.3 = 33.3 -> 34; late: 0.2 x 20 / 0.45 = 8.9 -> 9;
    // reports: 35 - ln(0.3 / 0.2 - 1) / 0.12 = 35 + 5.78 = 40.8 -> 41.
    expect(['export', 'search', 'late', 'reports'].map((f) => rowOf(f).daysToTarget)).toEqual([22, 34, 9, 41]);
  });

  it('the feature whose 90th day has not come has no 90-day figure; the median at 30 days is over the features', () => {
    const at30 = result.details.features.map((f) => f.at['30']).filter((x): x is number => x !== null);
    const sorted = [...at30].sort((a, b) => a - b);
    const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2]! : (sorted[sorted.length / 2 - 1]! + sorted[sorted.length / 2]!) / 2;
    expect(result.value!.medianAt30).toBeCloseTo(median, 3);
    expect(result.value!.features).toBe(4);
  });
});

describe('ROI: the cost from completed points per sprint and the configured cost, against the generated benefit', () => {
  const COST_PER_SPRINT = 20_000;
  const o = simulateOutcomes(team, {
    seed: 5,
    benefits: [
      { feature: 'export', perMonth: 12_000, currency: 'EUR' },
      { feature: 'search', perMonth: 1_500, currency: 'EUR' },
    ],
    cost: { perSprint: COST_PER_SPRINT, currency: 'EUR' },
  });
  const result = roi(index, outcomesOf(o.records, o.settings));
  const today = DateTime.fromMillis(asOfMs, { zone }).toISODate()!;

  /** Cost per sprint x (the epic's children's completed points / all completed points), over the closed sprints. */
  function expectedCost(childKeys: readonly string[]): { cost: number; sprints: { sprintId: string; share: number }[] } {
    const children = new Set(childKeys);
    const sprints = truth.sprints
      .filter((s) => s.state === 'closed' && s.completedPoints > 0)
      .map((s) => ({ sprintId: s.sprintId, share: s.completedKeys.filter((k) => children.has(k)).reduce((a, k) => a + s.completedPointsByKey[k]!, 0) / s.completedPoints }))
      .filter((s) => s.share > 0);
    return { cost: sprints.reduce((a, s) => a + COST_PER_SPRINT * s.share, 0), sprints };
  }

  it.each(['export', 'search'])('%s: cost, benefit, ROI and payback', (feature) => {
    const f = truth.features.find((x) => x.feature === feature)!;
    const b = o.truth.benefits.find((x) => x.epicKey === f.epicKey)!;
    const row = result.details.epics.find((e) => e.id === f.epicId)!;
    const { cost, sprints } = expectedCost(f.childKeys);
    expect(sprints.length).toBeGreaterThan(0);
    expect(row.sprints.map((s) => s.sprintId)).toEqual(sprints.map((s) => s.sprintId));
    for (const [i, s] of sprints.entries()) expect(row.sprints[i]!.share).toBeCloseTo(s.share, 3);
    // Each sprint's cost is kept to the cent: the sum is off by at most half a cent a sprint.
    expect(Math.abs(row.cost! - cost)).toBeLessThanOrEqual(0.005 * sprints.length + 1e-9);
    const months = b.months.filter((m) => m <= today);
    const benefit = b.amounts.slice(0, months.length).reduce((a, x) => a + x, 0);
    expect(row.benefit).toBeCloseTo(benefit, 2);
    expect(row.roi).toBeCloseTo((benefit - cost) / cost, 2);
    expect(Math.abs(row.roi! - (benefit - cost) / cost)).toBeLessThanOrEqual(0.0006);
    expect(row.currency).toBe('EUR');
    // Payback: from the day the feature shipped to the first month by which the benefit so far covers the cost.
    let cumulative = 0;
    const covered = months.find((_, i) => (cumulative += b.amounts[i]!) >= cost);
    const shippedOn = DateTime.fromISO(f.shippedAt!).setZone(zone).toISODate()!;
    const expectedPayback = covered === undefined ? null : Math.max(0, Math.round((Date.parse(`${covered}T00:00:00Z`) - Date.parse(`${shippedOn}T00:00:00Z`)) / DAY));
    expect(row.paybackDays).toBe(expectedPayback);
  });

  it('export pays back within the window and search does not: both cases are exercised', () => {
    const payback = (feature: string) => result.details.epics.find((e) => e.id === truth.features.find((x) => x.feature === feature)!.epicId)!.paybackDays;
    expect(payback('export')).not.toBeNull();
    expect(payback('search')).toBeNull();
  });

  it('the team figure sums the epics with both a cost and a benefit; an epic without a benefit says so', () => {
    const measured = result.details.epics.filter((e) => e.roi !== null);
    expect(measured.map((e) => e.id).sort()).toEqual(truth.features.filter((f) => f.feature !== 'late').map((f) => f.epicId).sort());
    const cost = measured.reduce((a, e) => a + e.cost!, 0);
    const benefit = measured.reduce((a, e) => a + e.benefit!, 0);
    expect(result.value).toMatchObject({ currency: 'EUR', measured: 2 });
    expect(result.value!.cost).toBeCloseTo(cost, 2);
    expect(result.value!.benefit).toBeCloseTo(benefit, 2);
    expect(result.value!.roi).toBeCloseTo((benefit - cost) / cost, 3);
    const late = result.details.epics.find((e) => e.id === truth.features.find((f) => f.feature === 'late')!.epicId)!;
    expect(late.roi).toBeNull();
    expect(late.reason).toMatch(/no benefit imported|no completed work/);
    expect(result.params).toMatchObject({ costPerSprint: COST_PER_SPRINT, currency: 'EUR' });
  });
});
