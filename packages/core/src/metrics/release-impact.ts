import type { HistoryIndex } from '../history/history-index';
import type { CustomerOutcomes } from '../model/outcomes';
import { type Evidence, type MetricResult, round } from '../result';
import { overlaps } from '../stats/intervals';
import { DAY_MS, formatInstant, parseInstant } from '../time/instant';
import { type SatisfactionFigures, responseEvidence, satisfactionFigures } from './customer-satisfaction';
import type { FeatureAdoptionResult } from './feature-adoption';
import type { ReleasePredictabilityResult, ReleasePredictabilityRole } from './release-predictability';
import { resolveMetricOptions } from '../options/metric-options-schema';

export interface ReleaseImpactOptions {
  /** Weeks before and after the release compared (default 4). */
  readonly weeks?: number;
  /** Seed of the NPS bootstrap (default 42). */
  readonly seed?: number;
}

/** up / down: the intervals before and after do not overlap; none: they do; null: one side has no responses. */
export type ImpactChange = 'up' | 'down' | 'none' | null;

export interface ReleaseImpactRow {
  readonly releaseId: string;
  readonly name: string;
  readonly releasedAt: string;
  /** Delivered / planned (what exists today), as release predictability gives it. */
  readonly delivered: number | null;
  readonly before: SatisfactionFigures;
  readonly after: SatisfactionFigures;
  readonly csatChange: ImpactChange;
  readonly npsChange: ImpactChange;
  /** The features it shipped, with their adoption 30 days after it (null while not reached). */
  readonly features: readonly { readonly feature: string; readonly at30: number | null }[];
  /** The responses behind `before` and `after` (roles `csat-before`, `nps-after`...): what a reader drills into. */
  readonly evidence: readonly Evidence<ReleaseImpactResponseRole>[];
}

/** What release impact publishes in `params`: the weeks each side of a release, the intervals' seed, its rule. */
export type ReleaseImpactParams = {
  readonly weeks: number;
  readonly seed: number;
  readonly rule: string;
  readonly asOf: string;
};

/** The roles of a release row's evidence: the CSAT ratings and NPS scores of the weeks before it, and after it. */
export type ReleaseImpactResponseRole = 'csat-before' | 'csat-after' | 'nps-before' | 'nps-after';

/** The roles of its evidence: the latest release's delivered items (release predictability's rows), and per release its responses. */
export type ReleaseImpactRole = Extract<ReleasePredictabilityRole, 'delivered'> | ReleaseImpactResponseRole;

/** The headline: the latest release's row, without its responses (they are in `details`). */
export type ReleaseImpactValue = Omit<ReleaseImpactRow, 'evidence'>;

export type ReleaseImpactResult = MetricResult<ReleaseImpactValue, { readonly releases: readonly ReleaseImpactRow[] }, ReleaseImpactParams, ReleaseImpactRole>;

/**
 * Release impact: what each release did for customers. Per released release: delivered vs planned (release
 * predictability's figure), CSAT and NPS in the weeks before it and in as many weeks after it (default 4; the
 * after-window ends at asOf), and the adoption of the features it shipped. A difference is called a change (up or
 * down) only when the 95 % intervals before and after do not overlap; otherwise `none`. The value is the latest
 * release's row, the headline of the customer outcomes view.
 *
 * @example releaseImpact(index, outcomes, rp, adoption).value?.csatChange // 'up' when CSAT rose beyond noise
 */
export function releaseImpact(
  index: HistoryIndex,
  outcomes: CustomerOutcomes,
  predictability: ReleasePredictabilityResult,
  adoption: FeatureAdoptionResult,
  options: ReleaseImpactOptions = {},
): ReleaseImpactResult {
  const { weeks, seed } = resolveMetricOptions('releaseImpact', options);
  const params: ReleaseImpactParams = { weeks, seed, rule: 'a change only when the 95 % intervals before and after do not overlap', asOf: formatInstant(index.asOfMs) };
  const span = weeks * 7 * DAY_MS;
  const at = (s: string) => parseInstant(s);
  const rows: ReleaseImpactRow[] = predictability.details.releases
    .filter((r) => r.state === 'released' && r.releasedAt !== null)
    .map((r) => {
      const t = at(r.releasedAt!);
      const inWindow = (from: number, to: number) => outcomes.responses.filter((x) => at(x.at) >= from && at(x.at) < to && at(x.at) <= index.asOfMs);
      const [beforeResponses, afterResponses] = [inWindow(t - span, t), inWindow(t, t + span)];
      const before = satisfactionFigures(beforeResponses, seed);
      const after = satisfactionFigures(afterResponses, seed);
      const side = (when: 'before' | 'after') => (x: (typeof beforeResponses)[number]): Evidence<ReleaseImpactResponseRole> => ({ ...responseEvidence(x), role: `${x.kind}-${when}`, releaseId: r.releaseId });
      return {
        releaseId: r.releaseId,
        name: r.name,
        releasedAt: r.releasedAt!,
        delivered: r.predictability,
        before,
        after,
        csatChange: change(before.csat && { value: before.csat.share, interval: before.csat.interval }, after.csat && { value: after.csat.share, interval: after.csat.interval }),
        npsChange: change(before.nps && { value: before.nps.score, interval: before.nps.interval }, after.nps && { value: after.nps.score, interval: after.nps.interval }),
        features: adoption.details.features.filter((f) => f.releaseId === r.releaseId).map((f) => ({ feature: f.feature, at30: f.at['30'] ?? null })),
        evidence: [...beforeResponses.map(side('before')), ...afterResponses.map(side('after'))],
      };
    })
    .sort((a, b) => at(a.releasedAt) - at(b.releasedAt));
  const latest = rows[rows.length - 1];
  const evidence = latest ? predictability.evidence.filter((e): e is Evidence<'delivered'> => e.releaseId === latest.releaseId && e.role === 'delivered') : [];
  const base = { metric: 'releaseImpact' as const, unit: 'change', evidence, excluded: [], warnings: [], params, details: { releases: rows } };
  if (!latest) return { ...base, value: null, reason: 'no release has shipped yet' };
  const { evidence: _responses, ...headline } = latest;
  return { ...base, value: { ...headline, delivered: latest.delivered === null ? null : round(latest.delivered, 3) } };
}

function change(before: { value: number; interval: readonly [number, number] } | null, after: { value: number; interval: readonly [number, number] } | null): ImpactChange {
  if (!before || !after) return null;
  if (overlaps(before.interval, after.interval)) return 'none';
  return after.value > before.value ? 'up' : 'down';
}
