import { type MetricsReport, type Warning, cycleTimeChange, goalRateChange, velocityChange } from '@agile-kpi/core';
import { changeWords, whyWords } from './change-words';
import { localDate, num, opt, optPct, pct, signed, unitLabel } from './format';
import { type KpiKey, RESULT_KEYS, releasePredictabilityJudgement } from './traffic-lights';

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
