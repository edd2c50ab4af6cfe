import { type CsatFigure, type ImpactChange, type MetricsReport, type NpsFigure, type Warning, cycleTimeChange, goalRateChange, velocityChange } from '@agile-kpi/core';
import { changeWords, whyWords } from './change-words';
import { localDate, num, opt, optPct, pct, signed, unitLabel } from './format';
import type { ViewName } from './host';
import { type KpiKey, type OutcomeKey, RESULT_KEYS, releasePredictabilityJudgement } from './traffic-lights';
import { VIEW_KPI } from './view-kpis';

/** The KPIs' names as people say them. */
export const KPI_LABELS: Readonly<Record<KpiKey, string>> = {
  velocity: 'Velocity',
  sprintGoalRate: 'Sprint goal rate',
  impedimentResolutionTime: 'Impediment resolution',
  sprintProgress: 'Sprint progress',
  backlogHealth: 'Backlog health',
  releasePredictability: 'Release predictability',
  flow: 'Flow',
};

/**
 * One sentence per KPI: its value in words, or why there is none. The dashboard's headlines and the
 * terminal summary print these same sentences, so the two never tell a different story. Velocity, the sprint
 * goal rate and cycle time end with why they last moved (`explainChange`, in `whyWords`): the last closed
 * sprint against the sprints before it, the sprint that moved the goal rate, the last 28 days' cycle time
 * against the earlier weeks of the window.
 *
 * @example kpiHeadlines(report).velocity // "35.7 pts (last 3 sprints; median 38, CV 0.12, trend -0.6/sprint, say/do 0.79)"
 */
export function kpiHeadlines(r: MetricsReport): Record<KpiKey, string> {
  const na = (reason: string | undefined) => `n/a: ${reason ?? 'no value'}`;
  const unit = unitLabel(r.velocity.unit);
  const v = r.velocity.value;
  const g = r.sprintGoalRate.value;
  const i = r.impedimentResolutionTime.value;
  const p = r.sprintProgress.value;
  const b = r.backlogHealth.value;
  const rp = r.releasePredictability.value;
  const f = r.flow.value;
  const nextOpen = r.releasePredictability.details.releases.find((x) => x.state === 'open' && x.forecast?.p85);
  return {
    velocity: v
      ? `${num(v.velocity)} ${unit} (last ${v.sprintsAveraged} sprint${v.sprintsAveraged === 1 ? '' : 's'}; median ${num(v.median)}, CV ${opt(v.coefficientOfVariation, 2)}, trend ${signed(v.trend)}/sprint, say/do ${opt(v.sayDo, 2)})` +
        clause(changeWords(velocityChange(r)))
      : na(r.velocity.reason),
    sprintGoalRate: g
      ? `${pct(g.rate)} met (${g.met} met, ${g.partly} partly, ${g.missed} missed of the last ${g.sprintsConsidered} closed sprints; ${g.noGoal} without a goal)` +
        goalClause(r)
      : na(r.sprintGoalRate.reason),
    impedimentResolutionTime: i
      ? i.workingHours && i.calendarHours
        ? `median ${num(i.workingHours.median)} working h, ${num(i.calendarHours.median)} calendar h (p85 ${num(i.workingHours.p85)} working h; ${i.resolved} resolved, ${i.open} open, ${i.raised} raised in the window)`
        : `none resolved in the window (${i.open} open, ${i.raised} raised)`
      : na(r.impedimentResolutionTime.reason),
    sprintProgress: p
      ? `${p.name}: ${num(p.completed)} of ${num(p.scope)} ${unit} done, ${num(p.remaining)} left (ideal ${num(p.idealRemaining)}), working day ${num(p.workingDaysElapsed)} of ${num(p.workingDaysTotal)}; ${p.onTrack === null ? 'no pace yet' : p.onTrack ? 'on track' : 'behind'}${p.projectedFinish ? `, projected finish ${localDate(p.projectedFinish, r.team.timeZone)}` : ''}`
      : na(r.sprintProgress.reason),
    backlogHealth: b
      ? `${num(b.score)}/100 (ready depth ${b.readyDepth === null ? 'n/a' : `${num(b.readyDepth, 1)} sprints`}, estimated ${optPct(b.estimatedShare)}, stale ${optPct(b.staleShare)}, growth ${opt(b.growthRatio, 2)}; ${b.readyItems} of ${b.items} items ready)`
      : na(r.backlogHealth.reason),
    releasePredictability: rp
      ? `${optPct(rp.predictability)} of planned scope delivered (last ${rp.releasesConsidered} release${rp.releasesConsidered === 1 ? '' : 's'}; on time ${optPct(rp.onTimeRate)}, mean slip ${signed(rp.meanSlipDays)} d)` +
        (nextOpen ? `; ${nextOpen.name} P85 ${nextOpen.forecast!.p85}` : '') +
        releaseLightCause(rp)
      : na(r.releasePredictability.reason),
    flow: f
      ? f.cycleTimeDays && f.leadTimeDays
        ? `${num(f.throughputPerWeek)} items/week (cycle time median ${num(f.cycleTimeDays.median)} d, p85 ${num(f.cycleTimeDays.p85)} d; lead time median ${num(f.leadTimeDays.median)} d; WIP ${f.wip}, ${f.agingAboveP85} aging above p85)` +
          clause(changeWords(cycleTimeChange(r), 'mean cycle time of the last 28 days', 'the weeks before'))
        : `${num(f.throughputPerWeek)} items/week (no item finished in the window: no cycle or lead time; WIP ${f.wip})`
      : na(r.flow.reason),
  };
}

/** The customer outcome results' names as people say them. */
export const OUTCOME_LABELS: Readonly<Record<OutcomeKey, string>> = {
  customerSatisfaction: 'Customer satisfaction',
  featureAdoption: 'Feature adoption',
  roi: 'Return on investment',
  releaseImpact: 'Release impact',
};

/**
 * One sentence per customer outcome, as `kpiHeadlines` gives one per KPI: its value in words, or why there is
 * none. Release impact, the customer outcomes view's headline, says what the latest shipped release delivered
 * against its plan, CSAT and NPS in the weeks before and after it (a change only when the 95 % intervals do not
 * overlap, as core decides) and the adoption of the features it shipped 30 days after.
 *
 * @example outcomeHeadlines(report).releaseImpact // "R1, released 2026-04-01: 100% of planned scope delivered; CSAT 0% → 100% (up: the 95% intervals do not overlap); ..."
 */
export function outcomeHeadlines(r: MetricsReport): Record<OutcomeKey, string> {
  const na = (reason: string | undefined) => `n/a: ${reason ?? 'no value'}`;
  const zone = r.team.timeZone;
  const c = r.customerSatisfaction.value;
  const a = r.featureAdoption.value;
  const roi = r.roi.value;
  const i = r.releaseImpact.value;
  const target = r.featureAdoption.params.target;
  return {
    customerSatisfaction: c
      ? `${c.month}: ${[c.csat ? csatWords(c.csat) : 'no CSAT rating', c.nps ? npsWords(c.nps) : 'no NPS score'].join(', ')}` +
        trendWords(c.csatTrend, c.npsTrend) +
        (r.customerSatisfaction.warnings.some((w) => w.code === 'few-responses') ? `; few responses (under ${r.customerSatisfaction.params.fewResponses}): it moves a lot from month to month` : '')
      : na(r.customerSatisfaction.reason),
    featureAdoption: a
      ? `${a.features} feature${a.features === 1 ? '' : 's'} measured: median adoption 30 days after release ${optPct(a.medianAt30)}; ${a.reachedTarget} of ${a.features} reached the ${pct(target)} target`
      : na(r.featureAdoption.reason),
    roi: roi ? `ROI ${signedPct(roi.roi)}: benefit ${money(roi.benefit, roi.currency)} against a cost of ${money(roi.cost, roi.currency)}, ${roiPool(r)} (${roi.measured} epic${roi.measured === 1 ? '' : 's'} and release${roi.measured === 1 ? '' : 's'} with a ROI)` : na(r.roi.reason),
    releaseImpact: i
      ? `${i.name}, released ${localDate(i.releasedAt, zone)}: ${i.delivered === null ? 'delivered vs planned n/a' : `${pct(i.delivered)} of planned scope delivered`}; ` +
        `CSAT ${impactWords(i.before.csat && pct(i.before.csat.share), i.after.csat && pct(i.after.csat.share), i.csatChange)}; ` +
        `NPS ${impactWords(i.before.nps && signed(i.before.nps.score), i.after.nps && signed(i.after.nps.score), i.npsChange)}; ` +
        (i.features.length ? `adoption 30 days after: ${i.features.map((f) => `${f.feature} ${f.at30 === null ? 'not yet' : pct(f.at30)}`).join(', ')}` : 'no feature linked to it')
      : na(r.releaseImpact.reason),
  };
}

/** The headline sentence of a view: its KPI's, or release impact's for the customer outcomes view. */
export function viewHeadline(r: MetricsReport, view: ViewName): string {
  return view === 'customerOutcomes' ? outcomeHeadlines(r).releaseImpact : kpiHeadlines(r)[VIEW_KPI[view]];
}

/** "CSAT 80% (mean 4.2, 25 responses)". */
export function csatWords(f: CsatFigure): string {
  return `CSAT ${pct(f.share)} (mean ${num(f.mean, 2)}, ${f.responses} response${f.responses === 1 ? '' : 's'})`;
}

/** "NPS +50 (10 responses)". */
export function npsWords(f: NpsFigure): string {
  return `NPS ${signed(f.score)} (${f.responses} response${f.responses === 1 ? '' : 's'})`;
}

/** "0% → 100% (up: the 95% intervals do not overlap)"; a side without responses says so. */
export function impactWords(before: string | null, after: string | null, change: ImpactChange): string {
  if (before === null && after === null) return 'n/a (no responses before or after)';
  if (before === null) return `${after} after (no responses before)`;
  if (after === null) return `${before} before (no responses after yet)`;
  return `${before} → ${after} (${change === 'none' ? 'no change: the 95% intervals overlap' : `${change}: the 95% intervals do not overlap`})`;
}

/** A ROI as a signed percentage: 0.371 is "+37.1%". */
export function signedPct(x: number): string {
  const p = pct(x);
  return x > 0 && p !== '0%' ? `+${p}` : p;
}

/** What the team's ROI sums, as core decides: the epics measured when there are any, else the releases. */
function roiPool(r: MetricsReport): string {
  const epics = r.roi.details.epics.filter((e) => e.roi !== null).length;
  const releases = r.roi.details.releases.filter((e) => e.roi !== null).length;
  return epics ? `summed over the ${epics === 1 ? 'epic' : `${epics} epics`} measured` : `summed over the ${releases === 1 ? 'release' : `${releases} releases`} measured`;
}

/** "8750 EUR". */
export function money(x: number, currency: string | null): string {
  return `${num(x, 2)}${currency ? ` ${currency}` : ''}`;
}

function trendWords(csat: number | null, nps: number | null): string {
  const parts = [csat === null ? null : `CSAT ${signed(csat * 100)} pp`, nps === null ? null : `NPS ${signed(nps)}`].filter(Boolean);
  return parts.length ? `; trend ${parts.join(', ')} a month` : '';
}

/** All warnings of a report: the snapshot's own and each result's (the KPIs', then the customer outcomes'). */
export function allWarnings(r: MetricsReport): Warning[] {
  return [...r.warnings, ...RESULT_KEYS.flatMap((k) => r[k].warnings)];
}

/** "; S5 missed its goal, ... (-8.3 percentage points)": the sprint that last moved the rate, and how. */
function goalClause(r: MetricsReport): string {
  return clause(whyWords(goalRateChange(r)));
}

/** A headline's last part, after "; ", when there is one. */
function clause(text: string): string {
  return text ? `; ${text}` : '';
}

/** Which of release predictability's two figures set its light (see `releasePredictabilityJudgement`). */
function releaseLightCause(v: NonNullable<MetricsReport['releasePredictability']['value']>): string {
  const judged = releasePredictabilityJudgement(v);
  if (!judged) return '';
  const next = v.nextRelease;
  return judged.by === 'forecast' && next
    ? `; light: ${judged.light}, set by ${next.name}'s ${pct(next.probabilityOnTime)} chance of its planned date ${next.plannedDate}`
    : `; light: ${judged.light}, set by the delivered share`;
}
