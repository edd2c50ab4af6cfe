import { median } from 'simple-statistics';
import type { HistoryIndex } from '../history/history-index';
import type { CustomerOutcomes, FeatureUsage } from '../model/outcomes';
import type { LocalDate } from '../model/types';
import { type Evidence, type MetricResult, round } from '../result';
import { formatInstant, parseInstant } from '../time/instant';
import { type ResolvedOptions, resolveMetricOptions } from '../options/metric-options-schema';

export interface FeatureAdoptionOptions {
  /** Adoption share a feature should reach (default 0.2). */
  readonly target?: number;
  /** Days after the release at which adoption is read (default 7, 30, 90). */
  readonly days?: readonly number[];
}

export interface FeatureAdoptionRow {
  readonly feature: string;
  readonly releaseId: string | null;
  readonly epicId: string | null;
  /** The feature's release date (local), or null. */
  readonly releasedOn: LocalDate | null;
  /** Adoption share (users / active users) at each day after the release; null when not reached yet or no data. */
  readonly at: Readonly<Record<string, number | null>>;
  /** Days from the release to the first day at or above the target; null when not reached. */
  readonly daysToTarget: number | null;
  readonly curve: readonly { readonly day: number; readonly date: LocalDate; readonly adoption: number }[];
  /** Why the feature has no figures. */
  readonly reason?: string;
}

export interface FeatureAdoptionValue {
  readonly features: number;
  /** Median adoption 30 days after release, over the features that have one. */
  readonly medianAt30: number | null;
  readonly reachedTarget: number;
}

/** What feature adoption publishes in `params`: the target share and the days after the release it reads. */
export type FeatureAdoptionParams = {
  readonly target: number;
  readonly days: ResolvedOptions<'featureAdoption'>['days'];
  readonly asOf: string;
  readonly timeZone: string;
};

/** The role of its evidence: the epic that ships a feature (contribution: adoption 30 days after the release). */
export type FeatureAdoptionRole = 'feature-epic';

export type FeatureAdoptionResult = MetricResult<FeatureAdoptionValue, { readonly features: readonly FeatureAdoptionRow[] }, FeatureAdoptionParams, FeatureAdoptionRole>;

/**
 * Feature adoption: the share of active users who used a feature, after the release that shipped it.
 *
 * Features come from the team's mapping (feature -> epic or release) and from epics labelled `feature:<key>`.
 * A feature's **release date** is its release's date, else the date the first of its epic's releases shipped, else
 * the day its epic was done. **Adoption** on a day = users of the feature / active users, from product-analytics exports (the
 * latest row on or before that day); read at 7, 30 and 90 days after the release; **days to target** = days until
 * adoption first reaches the target (default 20 %); the curve is every row after the release. A feature without a
 * release or without usage rows has no figures (null, with the reason).
 *
 * @example featureAdoption(index, outcomes).details.features[0].at['30'] // 0.25 for 250 of 1 000 active users
 */
export function featureAdoption(index: HistoryIndex, outcomes: CustomerOutcomes, options: FeatureAdoptionOptions = {}): FeatureAdoptionResult {
  const { target, days } = resolveMetricOptions('featureAdoption', options);
  const params: FeatureAdoptionParams = { target, days, asOf: formatInstant(index.asOfMs), timeZone: index.team.timeZone };
  const links = featureLinks(index, outcomes);
  const usage = new Map<string, FeatureUsage[]>();
  for (const u of outcomes.usage) usage.set(u.feature, [...(usage.get(u.feature) ?? []), u]);
  const today = index.calendar.localDate(index.asOfMs);
  const rows = [...links].sort(([a], [b]) => (a < b ? -1 : 1)).map(([feature, link]) => adoptionOf(index, feature, link, (usage.get(feature) ?? []).sort((a, b) => (a.date < b.date ? -1 : 1)), target, days, today));
  const evidence: Evidence<FeatureAdoptionRole>[] = rows
    .filter((r) => r.epicId)
    .map((r) => {
      const h = index.get(r.epicId!);
      return { itemId: r.epicId!, key: h?.item.key ?? r.epicId!, ...(h?.item.url ? { url: h.item.url } : {}), role: 'feature-epic', contribution: r.at['30'] ?? null, note: `feature ${r.feature}` };
    });
  const base = { metric: 'featureAdoption' as const, unit: 'share', evidence, excluded: rows.filter((r) => r.reason).map((r) => ({ id: `feature:${r.feature}`, reason: r.reason! })), warnings: [], params, details: { features: rows } };
  const measured = rows.filter((r) => !r.reason);
  if (measured.length === 0) return { ...base, value: null, reason: rows.length ? 'no feature has both a release and usage data' : 'no feature is linked to an epic or a release (settings, or an epic labelled feature:<key>)' };
  const at30 = measured.map((r) => r.at['30']).filter((x): x is number => x !== null && x !== undefined);
  return { ...base, value: { features: measured.length, medianAt30: at30.length ? round(median(at30), 3) : null, reachedTarget: measured.filter((r) => r.daysToTarget !== null).length } };
}

/** Feature -> its epic and release: the mapping first, then epics labelled `feature:<key>` at asOf. */
export function featureLinks(index: HistoryIndex, outcomes: CustomerOutcomes): Map<string, { epicId?: string; releaseId?: string }> {
  const links = new Map<string, { epicId?: string; releaseId?: string }>();
  for (const f of outcomes.features) links.set(f.feature, { ...links.get(f.feature), ...(f.epicId ? { epicId: f.epicId } : {}), ...(f.releaseId ? { releaseId: f.releaseId } : {}) });
  for (const h of index.items) {
    if (h.item.type.kind !== 'epic') continue;
    for (const label of h.labels.at(index.asOfMs)) {
      if (!label.startsWith('feature:')) continue;
      const key = label.slice('feature:'.length);
      if (!links.get(key)?.epicId) links.set(key, { ...links.get(key), epicId: h.item.id });
    }
  }
  return links;
}

/** The instant a feature shipped: its release's date, the first of its epic's releases to ship, else its epic's last entry to done. */
export function featureReleasedAt(index: HistoryIndex, link: { epicId?: string; releaseId?: string }): { ms: number; releaseId: string | null } | null {
  const released = (id: string) => index.releases.find((r) => r.id === id && r.releasedAt !== undefined);
  if (link.releaseId) {
    const r = released(link.releaseId);
    return r ? { ms: parseInstant(r.releasedAt!), releaseId: r.id } : null;
  }
  const epic = link.epicId ? index.get(link.epicId) : undefined;
  if (!epic) return null;
  // The first of its releases to ship: a tracker lists an item's releases in no particular order (Azure DevOps
  // tags alphabetically: release-10 before release-9).
  let first: { ms: number; releaseId: string } | null = null;
  for (const id of epic.releases.at(index.asOfMs)) {
    const r = released(id);
    const ms = r ? parseInstant(r.releasedAt!) : Number.NaN;
    if (r && (first === null || ms < first.ms)) first = { ms, releaseId: r.id };
  }
  if (first) return first;
  const done = index.doneSince(epic, index.asOfMs);
  return done === undefined ? null : { ms: done, releaseId: null };
}

function adoptionOf(
  index: HistoryIndex,
  feature: string,
  link: { epicId?: string; releaseId?: string },
  rows: readonly FeatureUsage[],
  target: number,
  days: readonly number[],
  today: LocalDate,
): FeatureAdoptionRow {
  const cal = index.calendar;
  const shipped = featureReleasedAt(index, link);
  const base = { feature, releaseId: shipped?.releaseId ?? link.releaseId ?? null, epicId: link.epicId ?? null };
  const empty = Object.fromEntries(days.map((d) => [String(d), null]));
  if (!shipped) return { ...base, releasedOn: null, at: empty, daysToTarget: null, curve: [], reason: `feature ${feature} has no release yet (its release or epic has not shipped)` };
  const releasedOn = cal.localDate(shipped.ms);
  const after = rows.filter((u) => u.date >= releasedOn && u.date <= today);
  if (after.length === 0) return { ...base, releasedOn, at: empty, daysToTarget: null, curve: [], reason: `feature ${feature}: no usage data since its release on ${releasedOn}` };
  const curve = after.map((u) => ({ day: cal.daysBetween(releasedOn, u.date), date: u.date, adoption: round(u.users / u.activeUsers, 3) }));
  const at = Object.fromEntries(
    days.map((d) => {
      const date = cal.addDays(releasedOn, d);
      const row = date > today ? undefined : [...curve].reverse().find((c) => c.date <= date);
      return [String(d), row ? row.adoption : null];
    }),
  );
  const reached = curve.find((c) => c.adoption >= target);
  return { ...base, releasedOn, at, daysToTarget: reached ? reached.day : null, curve };
}
