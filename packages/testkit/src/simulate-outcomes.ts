import type { OutcomeRecord, OutcomeSettings } from '@agile-kpi/core';
import { DateTime } from 'luxon';
import type { SimulatedTeam } from './ground-truth';
import { Random } from './random';

/**
 * Customer outcome series for a simulated team, with known effects: survey responses (CSAT 1-5, NPS 0-10) drawn
 * each week from a set distribution that a release shifts by a set amount from the instant it ships; a feature's
 * daily usage following a set adoption curve from the day its release shipped; a benefit per month for an epic.
 * It returns the records in the form the store keeps and `bindOutcomes` reads, the settings beside them (cost per
 * sprint, a feature shipped by a named release), and the truth: the distributions, the effects and the curves as
 * configured, never read back from the records.
 *
 * The scales are the ones the product reads (docs/metrics.md): a CSAT rating 1 to 5 as Jira Service Management's
 * request feedback gives it (`rating`: "an integer value between 1 and 5", type `csat`: the Service Management
 * REST API's CsatFeedbackFull, as jira.js types it at
 * https://mrrefactoring.github.io/jira.js/interfaces/ServiceDeskModels.CsatFeedbackFull.html), an NPS score 0 to 10
 * ("how likely are you to recommend", promoters 9-10, detractors 0-6). A usage row is one day of a
 * product-analytics export: users of the feature that day and active users. The records are the store's own form
 * (`OutcomeRecord`), not a tracker's wire shape.
 */
export interface SimulateOutcomesOptions {
  /** Same seed, same team and options: deep-equal records. Default 7. */
  readonly seed?: number;
  readonly csat?: SurveySeries;
  readonly nps?: SurveySeries;
  /** Releases (by id or name) that move satisfaction from their ship instant on; effects of several add up. */
  readonly effects?: readonly SurveyEffect[];
  readonly adoption?: readonly FeatureSeries[];
  readonly benefits?: readonly BenefitSeries[];
  /** The team's configured cost per sprint, handed back in the settings. */
  readonly cost?: { readonly perSprint: number; readonly currency: string };
}

export interface SurveySeries {
  /** Responses in each full week (Monday to Sunday in the team's zone); a part week gets its share, rounded. */
  readonly perWeek: number;
  /** Probability of each score, lowest score first: 5 of them for CSAT (1..5), 11 for NPS (0..10); sum 1. */
  readonly baseline: readonly number[];
  /** First day of responses (the team's zone). Default: the first sprint's start date. */
  readonly from?: string;
}

export interface SurveyEffect {
  readonly release: string;
  /**
   * CSAT lift: share points of ratings 4-5 gained (0.2 = from 60 % to 80 %), moved from the ratings 1-3 in
   * proportion to their probability, onto 4 and 5 in proportion to theirs. Negative lowers it.
   */
  readonly csat?: number;
  /**
   * NPS lift in points (20 = from 0 to 20): half of it as probability moved from detractors (0-6) onto promoters
   * (9-10), each in proportion to its scores' probability; passives stay. Negative lowers it.
   */
  readonly nps?: number;
}

export type AdoptionCurve =
  /** `plateau / (1 + e^(-steepness (day - midpoint)))`. */
  | { readonly kind: 'logistic'; readonly plateau: number; readonly midpoint: number; readonly steepness: number }
  /** From 0 on the release day, straight up to `plateau` on day `days`, flat after. */
  | { readonly kind: 'linear'; readonly plateau: number; readonly days: number };

export interface FeatureSeries {
  readonly feature: string;
  readonly curve: AdoptionCurve;
  /**
   * The release (id or name) that ships the feature, named in the settings' mapping. Absent: the epic labelled
   * `feature:<key>` (simulate the team with `featureEpics`), whose release date the truth knows.
   */
  readonly release?: string;
  /** Mean active users a day (each day 90-110 % of it). Default 5 000. */
  readonly activeUsers?: number;
  /** Days of rows before the release (no users yet), as an export that covers the whole product has. Default 14. */
  readonly daysBefore?: number;
}

export interface BenefitSeries {
  /** The epic's key, or the feature whose epic (labelled `feature:<key>`) it is. */
  readonly epic?: string;
  readonly feature?: string;
  /** Amount per calendar month, from the first month after the feature shipped (the epic was done) to asOf. */
  readonly perMonth: number;
  readonly currency: string;
}

export interface SimulatedOutcomes {
  readonly records: OutcomeRecord[];
  readonly settings: OutcomeSettings;
  readonly truth: OutcomeTruth;
}

export interface OutcomeTruth {
  readonly seed: number;
  /** The effects as they apply: each release's ship instant. */
  readonly effects: readonly { readonly releaseId: string; readonly shippedAt: string; readonly csat: number; readonly nps: number }[];
  /** Probability of each score at an instant (lowest score first). */
  csatDistributionAt(ms: number): readonly number[];
  npsDistributionAt(ms: number): readonly number[];
  /** The true CSAT (probability of a rating 4-5) and NPS (100 x (P(9-10) - P(0-6))) at an instant. */
  csatShareAt(ms: number): number;
  npsAt(ms: number): number;
  readonly features: readonly FeatureSeriesTruth[];
  readonly benefits: readonly { readonly epicKey: string; readonly months: readonly string[]; readonly amounts: readonly number[]; readonly currency: string }[];
}

export interface FeatureSeriesTruth {
  readonly feature: string;
  readonly releaseId: string | null;
  readonly epicKey: string | null;
  /** The release day (the team's zone): day 0 of the curve. */
  readonly releasedOn: string;
  readonly curve: AdoptionCurve;
  /** The curve's adoption share on a day after the release. */
  adoptionAt(day: number): number;
  /** The (fractional) day at which the curve reaches a share; null when it never does. */
  dayReaching(share: number): number | null;
}


export function simulateOutcomes(team: SimulatedTeam, options: SimulateOutcomesOptions = {}): SimulatedOutcomes {
  const seed = options.seed ?? 7;
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${String(seed)}`);
  const { snapshot, truth } = team;
  const zone = snapshot.team.timeZone;
  const asOfMs = Date.parse(snapshot.asOf);
  const rng = new Random(seed);
  // One stream per series: adding a series does not change the others.
  const surveyRng = rng.fork();
  const usageRng = rng.fork();
  const benefitRng = rng.fork();
  const localDate = (ms: number) => DateTime.fromMillis(ms, { zone }).toISODate()!;
  const startOfDate = (date: string) => DateTime.fromISO(date, { zone }).startOf('day').toMillis();
  const addDays = (date: string, n: number) => DateTime.fromISO(date, { zone: 'UTC' }).plus({ days: n }).toISODate()!;
  const releaseOf = (name: string) => {
    const r = snapshot.releases.find((x) => x.id === name) ?? snapshot.releases.find((x) => x.name === name);
    if (!r) throw new RangeError(`simulateOutcomes: no release ${JSON.stringify(name)} in the team (releases: ${snapshot.releases.map((x) => x.name).join(', ')})`);
    const shipped = truth.releases.find((t) => t.releaseId === r.id)?.releasedAt ?? null;
    return { id: r.id, name: r.name, shippedAt: shipped };
  };
  const firstStart = snapshot.sprints[0]?.startAt;
  if (!firstStart) throw new RangeError('simulateOutcomes: the team has no sprint');
  const prefix = `${snapshot.team.id}:outcome`;
  const records: OutcomeRecord[] = [];

  // Surveys.
  const effects = (options.effects ?? []).map((e) => {
    const r = releaseOf(e.release);
    if (r.shippedAt === null) throw new RangeError(`simulateOutcomes: release ${r.name} has not shipped by asOf: it can have no effect`);
    return { releaseId: r.id, shippedAt: r.shippedAt, ms: Date.parse(r.shippedAt), csat: e.csat ?? 0, nps: e.nps ?? 0 };
  });
  const csatBase = options.csat ? checkDistribution('csat', options.csat.baseline, 5) : defaultCsat();
  const npsBase = options.nps ? checkDistribution('nps', options.nps.baseline, 11) : defaultNps();
  const cache = new Map<string, readonly number[]>();
  const lifted = (kind: 'csat' | 'nps', ms: number) => {
    const applied = effects.filter((e) => e.ms <= ms);
    const key = `${kind}:${applied.map((e) => e.releaseId).join(',')}`;
    let p = cache.get(key);
    if (p) return p;
    p = kind === 'csat' ? csatBase : npsBase;
    for (const e of applied) p = kind === 'csat' ? moveMass(p, [0, 1, 2], [3, 4], e.csat, 'csat') : moveMass(p, [0, 1, 2, 3, 4, 5, 6], [9, 10], e.nps / 200, 'nps');
    cache.set(key, p);
    return p;
  };
  const scored = (kind: 'csat' | 'nps', ms: number) => {
    const key = `weights:${kind}:${effects.filter((e) => e.ms <= ms).length}`;
    let w = weights.get(key);
    if (!w) weights.set(key, (w = lifted(kind, ms).map((x, i) => [kind === 'csat' ? i + 1 : i, x] as const)));
    return w;
  };
  const weights = new Map<string, (readonly [number, number])[]>();
  for (const e of effects) {
    // Fail now, not at the first response after the release, when an effect cannot be applied.
    lifted('csat', e.ms);
    lifted('nps', e.ms);
  }
  let responseNo = 0;
  for (const kind of ['csat', 'nps'] as const) {
    const series = options[kind];
    if (!series) continue;
    if (!(Number.isInteger(series.perWeek) && series.perWeek >= 1 && series.perWeek <= 10_000)) throw new RangeError(`${kind}.perWeek must be a whole number from 1 to 10 000, got ${String(series.perWeek)}`);
    const from = series.from ?? localDate(Date.parse(firstStart));
    if (!DateTime.fromISO(from, { zone }).isValid || from.length !== 10) throw new RangeError(`${kind}.from must be a date YYYY-MM-DD, got ${JSON.stringify(from)}`);
    let weekStart = DateTime.fromISO(from, { zone }).startOf('week');
    while (weekStart.toMillis() <= asOfMs) {
      const weekEnd = weekStart.plus({ weeks: 1 });
      const lo = Math.max(weekStart.toMillis(), startOfDate(from));
      const hi = Math.min(weekEnd.toMillis(), asOfMs);
      const count = Math.round((series.perWeek * (hi - lo)) / (weekEnd.toMillis() - weekStart.toMillis()));
      for (const ms of surveyRng.sortedBetween(count, lo, hi)) {
        const at = Math.floor(ms);
        const score = surveyRng.weighted(scored(kind, at));
        responseNo++;
        records.push({ id: `${prefix}:survey:${responseNo}`, kind, at: new Date(at).toISOString(), score, source: `simulated ${kind} survey, response ${responseNo}` });
      }
      weekStart = weekEnd;
    }
  }

  // Feature usage.
  const today = localDate(asOfMs);
  const mapping: { feature: string; shippedBy: string }[] = [];
  const features: FeatureSeriesTruth[] = (options.adoption ?? []).map((f) => {
    const curve = checkCurve(f.feature, f.curve);
    let releaseId: string | null;
    let epicKey: string | null = null;
    let shippedAt: string | null;
    if (f.release !== undefined) {
      const r = releaseOf(f.release);
      releaseId = r.id;
      shippedAt = r.shippedAt;
      mapping.push({ feature: f.feature, shippedBy: r.name });
    } else {
      const t = truth.features.find((x) => x.feature === f.feature);
      if (!t) throw new RangeError(`simulateOutcomes: no epic is labelled feature:${f.feature}: simulate the team with featureEpics: ['${f.feature}'], or name the release`);
      releaseId = t.releaseId;
      epicKey = t.epicKey;
      shippedAt = t.shippedAt;
    }
    if (shippedAt === null) throw new RangeError(`simulateOutcomes: feature ${f.feature} has not shipped by asOf: it has no adoption curve`);
    const releasedOn = localDate(Date.parse(shippedAt));
    const active = f.activeUsers ?? 5_000;
    const before = f.daysBefore ?? 14;
    if (!(Number.isInteger(active) && active >= 10)) throw new RangeError(`activeUsers of ${f.feature} must be a whole number, 10 or more`);
    for (let day = -before, date = addDays(releasedOn, -before); date <= today; day++, date = addDays(date, 1)) {
      const activeUsers = Math.round(active * usageRng.between(0.9, 1.1));
      const users = day < 0 ? 0 : Math.round(adoption(curve, day) * activeUsers);
      records.push({ id: `${prefix}:usage:${f.feature}:${date}`, kind: 'usage', date, feature: f.feature, users, activeUsers, source: `simulated analytics, ${f.feature} on ${date}` });
    }
    return { feature: f.feature, releaseId, epicKey, releasedOn, curve, adoptionAt: (day: number) => adoption(curve, day), dayReaching: (share: number) => inverse(curve, share) };
  });

  // Benefits, per month, from the month after the feature shipped.
  const benefits = (options.benefits ?? []).map((b) => {
    const t = b.feature !== undefined ? truth.features.find((x) => x.feature === b.feature) : truth.features.find((x) => x.epicKey === b.epic);
    const epicKey = t?.epicKey ?? b.epic;
    if (!epicKey) throw new RangeError('simulateOutcomes: a benefit series names an epic (its key) or a feature');
    const epic = snapshot.items.find((i) => i.key === epicKey && i.type.kind === 'epic');
    if (!epic) throw new RangeError(`simulateOutcomes: no epic ${epicKey} in the team`);
    const start = t?.shippedAt ?? null;
    if (start === null) throw new RangeError(`simulateOutcomes: the benefit of ${epicKey} starts when its feature ships; it has not by asOf (label the epic with featureEpics)`);
    if (!(Number.isFinite(b.perMonth) && b.perMonth > 0)) throw new RangeError(`perMonth of ${epicKey} must be a positive amount`);
    const months: string[] = [];
    const amounts: number[] = [];
    for (let m = DateTime.fromMillis(Date.parse(start), { zone }).startOf('month').plus({ months: 1 }); m.toMillis() <= asOfMs; m = m.plus({ months: 1 })) {
      const date = m.toISODate()!;
      // Whole cents, 80-120 % of the monthly amount: the series is not a constant the test could guess.
      const amount = Math.round(b.perMonth * benefitRng.between(0.8, 1.2) * 100) / 100;
      months.push(date);
      amounts.push(amount);
      records.push({ id: `${prefix}:benefit:${epicKey}:${date}`, kind: 'benefit', date, amount, currency: b.currency, epic: epicKey, source: `simulated benefit of ${epicKey}, ${date.slice(0, 7)}` });
    }
    return { epicKey, months, amounts, currency: b.currency };
  });

  const settings: OutcomeSettings = { ...(options.cost ? { cost: { ...options.cost } } : {}), ...(mapping.length ? { features: mapping } : {}) };
  return {
    records,
    settings,
    truth: {
      seed,
      effects: effects.map(({ releaseId, shippedAt, csat, nps }) => ({ releaseId, shippedAt, csat, nps })),
      csatDistributionAt: (ms) => lifted('csat', ms),
      npsDistributionAt: (ms) => lifted('nps', ms),
      csatShareAt: (ms) => sum(lifted('csat', ms).slice(3)),
      npsAt: (ms) => {
        const p = lifted('nps', ms);
        return 100 * (sum(p.slice(9)) - sum(p.slice(0, 7)));
      },
      features,
      benefits,
    },
  };
}

/** 60 % satisfied (ratings 4-5), mean 3.55. */
function defaultCsat(): readonly number[] {
  return [0.05, 0.1, 0.25, 0.35, 0.25];
}

/** 30 % promoters, 30 % detractors: NPS 0. */
function defaultNps(): readonly number[] {
  return [0.02, 0.02, 0.02, 0.03, 0.03, 0.08, 0.1, 0.2, 0.2, 0.15, 0.15];
}

function checkDistribution(kind: string, p: readonly number[], length: number): readonly number[] {
  if (p.length !== length || p.some((x) => !(x >= 0)) || Math.abs(sum(p) - 1) > 1e-9) {
    throw new RangeError(`${kind}.baseline must be ${length} probabilities (lowest score first) that sum to 1, got ${JSON.stringify(p)}`);
  }
  return [...p];
}

/** Moves `amount` of probability from `from` onto `to` (each side in proportion to its scores); negative moves back. */
function moveMass(p: readonly number[], from: readonly number[], to: readonly number[], amount: number, kind: string): readonly number[] {
  const [src, dst, a] = amount >= 0 ? [from, to, amount] : [to, from, -amount];
  const srcMass = sum(src.map((i) => p[i]!));
  const dstMass = sum(dst.map((i) => p[i]!));
  if (a > srcMass + 1e-12) throw new RangeError(`simulateOutcomes: a ${kind} effect moves ${a} of probability but only ${srcMass} is there to move`);
  if (a === 0) return p;
  const out = [...p];
  for (const i of src) out[i] = p[i]! - (a * p[i]!) / srcMass;
  for (const i of dst) out[i] = dstMass > 0 ? p[i]! + (a * p[i]!) / dstMass : p[i]! + a / dst.length;
  return out;
}

function checkCurve(feature: string, c: AdoptionCurve): AdoptionCurve {
  const share = (x: number) => x > 0 && x <= 1;
  if (c.kind === 'logistic' && share(c.plateau) && c.midpoint >= 0 && c.steepness > 0) return c;
  if (c.kind === 'linear' && share(c.plateau) && Number.isInteger(c.days) && c.days >= 1) return c;
  throw new RangeError(`adoption curve of ${feature}: a logistic curve has plateau in (0, 1], midpoint >= 0 and steepness > 0; a linear one plateau in (0, 1] and whole days >= 1; got ${JSON.stringify(c)}`);
}

function adoption(c: AdoptionCurve, day: number): number {
  if (day < 0) return 0;
  if (c.kind === 'linear') return (c.plateau * Math.min(day, c.days)) / c.days;
  return c.plateau / (1 + Math.exp(-c.steepness * (day - c.midpoint)));
}

function inverse(c: AdoptionCurve, share: number): number | null {
  if (!(share > 0) || share > c.plateau || (c.kind === 'logistic' && share === c.plateau)) return null;
  if (c.kind === 'linear') return (share * c.days) / c.plateau;
  return Math.max(0, c.midpoint - Math.log(c.plateau / share - 1) / c.steepness);
}

function sum(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return s;
}
