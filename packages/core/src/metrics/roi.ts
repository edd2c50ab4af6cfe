import type { HistoryIndex, WorkItemHistory } from '../history/history-index';
import type { BenefitEntry, CustomerOutcomes } from '../model/outcomes';
import type { LocalDate } from '../model/types';
import { type Evidence, type MetricResult, round } from '../result';
import { formatInstant, parseInstant } from '../time/instant';
import { featureReleasedAt } from './feature-adoption';
import { startedSprintScopes, sumPoints } from './sprint-scope';

export interface RoiRow {
  /** The epic's item id or the release's id. */
  readonly id: string;
  readonly name: string;
  readonly kind: 'epic' | 'release';
  readonly cost: number | null;
  readonly benefit: number | null;
  /** (benefit - cost) / cost; null when either is missing. */
  readonly roi: number | null;
  /** Days from the release (or the epic's completion) until the benefit covered the cost; null when not yet. */
  readonly paybackDays: number | null;
  readonly currency: string | null;
  /** The sprints that spent on it: the share of each sprint's completed points and what that cost. */
  readonly sprints: readonly { readonly sprintId: string; readonly name: string; readonly share: number; readonly cost: number }[];
  readonly reason?: string;
}

export interface RoiValue {
  readonly cost: number;
  readonly benefit: number;
  readonly roi: number;
  readonly currency: string;
  /** Epics and releases with both a cost and a benefit. */
  readonly measured: number;
}

/** What ROI publishes in `params`: the cost per sprint and its currency (null when not set) and its two rules. */
export type RoiParams = {
  readonly costPerSprint: number | null;
  readonly currency: string | null;
  readonly costRule: string;
  readonly benefitRule: string;
  readonly asOf: string;
};

/** The role of its evidence: an epic with a cost (contribution: the cost; note: the sprints' shares). */
export type RoiRole = 'epic-cost';

export type RoiResult = MetricResult<RoiValue, { readonly epics: readonly RoiRow[]; readonly releases: readonly RoiRow[] }, RoiParams, RoiRole>;

/**
 * Return on investment per epic and per release.
 *
 * **Cost** from history: the team's cost per sprint (configured, with its currency) times the share of each closed
 * sprint's completed points that went to the epic's items (the epic and its children) or to the release's items
 * (in the release at asOf), summed over the sprints. **Benefit** from an imported series (revenue or cost saved per
 * period, per epic or release), summed up to asOf. **ROI** = (benefit − cost) / cost; the **payback period** is the
 * days from the release (an epic's: its release, else the day it was done) to the first period by which the
 * cumulative benefit covers the cost. Every assumption is in `params`; no cost or no benefit: null with the reason.
 * No currency is converted: a benefit in another currency than the cost per sprint leaves the row null, with the
 * reason.
 *
 * @example roi(index, { ...outcomes, cost: { perSprint: 10_000, currency: 'EUR' } }).details.epics[0].roi // 0.5
 */
export function roi(index: HistoryIndex, outcomes: CustomerOutcomes): RoiResult {
  const cost = outcomes.cost;
  const params: RoiParams = {
    costPerSprint: cost?.perSprint ?? null,
    currency: cost?.currency ?? null,
    costRule: "cost per sprint x the share of the sprint's completed points spent on the epic's or release's items",
    benefitRule: 'the imported benefit series summed up to asOf, in the currency of the cost (none converted)',
    asOf: formatInstant(index.asOfMs),
  };
  const { scopes } = startedSprintScopes(index);
  /** Epics and releases with a benefit up to asOf: the ones a missing cost or a currency leaves unmeasured are excluded, with the reason. */
  const withBenefit = new Set<string>();
  const closed = scopes.filter((s) => s.schedule.stateAtAsOf === 'closed');
  const epicIds = [...new Set([...index.items.filter((h) => h.item.type.kind === 'epic').map((h) => h.item.id), ...outcomes.benefits.flatMap((b) => (b.epicId ? [b.epicId] : []))])];
  const releaseIds = [...new Set([...outcomes.benefits.flatMap((b) => (b.releaseId ? [b.releaseId] : []))])];
  // Each closed sprint's completed points, in total and per epic (the item itself or its parent) and per release (at
  // asOf), summed once in the sprint's order: a board's epics times its sprints times their items, each item's
  // points added as often as there were epics, made a 50 000-issue board's ROI take as long as a KPI's whole read.
  const totals = closed.map((s) => sumPoints(s.completed));
  const pointsBy = (groups: (h: WorkItemHistory) => readonly string[]) =>
    closed.map((s) => {
      const by = new Map<string, number>();
      for (const e of s.completed) for (const g of new Set(groups(e.history))) by.set(g, (by.get(g) ?? 0) + (e.points ?? 0));
      return by;
    });
  const row = (id: string, kind: 'epic' | 'release', completedOf: readonly Map<string, number>[], benefits: readonly BenefitEntry[], name: string, shippedMs: number | null): RoiRow => {
    const sprints = closed
      .map((s, i) => {
        const total = totals[i]!;
        const mine = completedOf[i]!.get(id) ?? 0;
        const share = total > 0 ? mine / total : 0;
        return { sprintId: s.schedule.sprint.id, name: s.schedule.sprint.name, share: round(share, 3), cost: cost ? round(cost.perSprint * share) : 0 };
      })
      .filter((s) => s.share > 0);
    const spent = cost && sprints.length ? round(sprints.reduce((a, s) => a + s.cost, 0)) : null;
    const inTime = benefits.filter((b) => index.calendar.startOfDate(b.date) <= index.asOfMs).sort((a, b) => (a.date < b.date ? -1 : 1));
    if (inTime.length) withBenefit.add(id);
    // No currency is converted: a benefit in another currency than the cost would make a sum of unlike amounts.
    const foreign = [...new Set(inTime.map((b) => b.currency).filter((c) => c !== (cost?.currency ?? inTime[0]!.currency)))].sort();
    const gained = inTime.length && !foreign.length ? round(inTime.reduce((a, b) => a + b.amount, 0)) : null;
    const reason = !cost
      ? 'no cost per sprint is configured'
      : spent === null
        ? `no completed work of ${name} in a closed sprint`
        : foreign.length
          ? `the benefit of ${name} is in ${foreign.join(', ')} and the cost per sprint in ${cost.currency}: import the benefit in ${cost.currency} (no currency is converted)`
          : gained === null
            ? `no benefit imported for ${name}`
            : undefined;
    let paybackDays: number | null = null;
    if (!reason && shippedMs !== null) {
      let cumulative = 0;
      const covered = inTime.find((b) => (cumulative += b.amount) >= spent!);
      if (covered) paybackDays = Math.max(0, index.calendar.daysBetween(index.calendar.localDate(shippedMs), covered.date as LocalDate));
    }
    return {
      id,
      name,
      kind,
      cost: spent,
      benefit: gained,
      roi: reason ? null : round((gained! - spent!) / spent!, 3),
      paybackDays,
      currency: cost?.currency ?? inTime[0]?.currency ?? null,
      sprints,
      ...(reason ? { reason } : {}),
    };
  };
  const byEpic = pointsBy((h) => (h.item.parentId === undefined ? [h.item.id] : [h.item.id, h.item.parentId]));
  const epics = epicIds.map((id) => {
    const h = index.get(id);
    const shipped = featureReleasedAt(index, { epicId: id });
    return row(id, 'epic', byEpic, outcomes.benefits.filter((b) => b.epicId === id), h ? `${h.item.key} ${h.item.title}` : id, shipped?.ms ?? null);
  });
  const byRelease = releaseIds.length ? pointsBy((h) => h.releases.at(index.asOfMs)) : [];
  const releases = releaseIds.map((id) => {
    const r = index.releases.find((x) => x.id === id);
    return row(id, 'release', byRelease, outcomes.benefits.filter((b) => b.releaseId === id), r?.name ?? id, r?.releasedAt ? parseInstant(r.releasedAt) : null);
  });
  const evidence: Evidence<RoiRole>[] = epics
    .filter((e) => e.cost !== null)
    .map((e) => {
      const h = index.get(e.id);
      return { itemId: e.id, key: h?.item.key ?? e.id, ...(h?.item.url ? { url: h.item.url } : {}), role: 'epic-cost', contribution: e.cost, note: e.sprints.map((s) => `${s.name} ${Math.round(s.share * 100)} %`).join(', ') };
    });
  const measured = [...epics, ...releases].filter((r) => r.roi !== null);
  const base = { metric: 'roi' as const, unit: 'ratio', evidence, excluded: [...epics, ...releases].filter((r) => r.reason && withBenefit.has(r.id)).map((r) => ({ id: r.id, reason: r.reason! })), warnings: [], params, details: { epics, releases } };
  if (!cost) return { ...base, value: null, reason: 'no cost per sprint is configured: set the team cost per sprint (and its currency) in the settings' };
  if (measured.length === 0) return { ...base, value: null, reason: 'no epic or release has both a cost from history and an imported benefit' };
  // Releases and epics can overlap (an epic shipped in a release): the team figure sums the epics when there are any.
  const pool = measured.some((r) => r.kind === 'epic') ? measured.filter((r) => r.kind === 'epic') : measured;
  const c = round(pool.reduce((a, r) => a + r.cost!, 0));
  const b = round(pool.reduce((a, r) => a + r.benefit!, 0));
  return { ...base, value: { cost: c, benefit: b, roi: round((b - c) / c, 3), currency: cost.currency, measured: measured.length } };
}
