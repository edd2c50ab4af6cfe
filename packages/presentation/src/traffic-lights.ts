import type {
  BacklogHealthValue,
  FlowValue,
  ImpedimentResolutionTimeValue,
  MetricsReport,
  ReleasePredictabilityValue,
  SprintGoalRateValue,
  SprintProgressValue,
  TrafficLight,
  VelocityValue,
} from '@agile-kpi/core';

/**
 * Traffic lights of the seven KPIs, in one place so that the dashboard, the terminal summary and the email report
 * agree on what "green" means.
 *
 * A light is a conversation starter, not a verdict: the thresholds are simple, documented rules of thumb.
 * Backlog health brings its own lights (score >= 75 green, >= 50 amber, per core's definition) and is used as
 * is; the others are judged here:
 *
 * | KPI                      | reads                                  | green    | amber    | else |
 * |--------------------------|----------------------------------------|----------|----------|------|
 * | velocity                 | say/do of the averaged sprints         | >= 0.8   | >= 0.6   | red  |
 * | sprint goal rate         | share of goals met                     | >= 0.7   | >= 0.5   | red  |
 * | impediment resolution    | median working hours to resolve        | <= 8     | <= 24    | red  |
 * | sprint progress          | projected to finish by the planned end | on track | behind   | -    |
 * | backlog health           | core's own light                       |          |          |      |
 * | release predictability   | mean delivered / planned, and the next | >= 0.8   | >= 0.6   | red  |
 * |                          | open release's chance of its date      | >= 0.8   | >= 0.5   | red  |
 * |                          | (the worse of the two sets the light)  |          |          |      |
 * | flow                     | WIP items older than cycle-time P85    | 0        | <= 2     | red  |
 *
 * No light (null) when the metric has no value or the figure it reads is missing (no say/do, nothing resolved,
 * no pace, no finished item to take a cycle-time P85 from): empty is not green.
 *
 * @example velocityLight({ ...value, sayDo: 0.8 }) // 'green'
 */

export const KPI_KEYS = [
  'velocity',
  'sprintGoalRate',
  'impedimentResolutionTime',
  'sprintProgress',
  'backlogHealth',
  'releasePredictability',
  'flow',
] as const;
export type KpiKey = (typeof KPI_KEYS)[number];

/**
 * The customer outcome results (issue 15): a group of their own, not KPIs with a light. What a good CSAT, NPS,
 * adoption or ROI is belongs to the product, not to a rule of thumb about delivery, and release impact carries
 * its own verdict (a change only when the intervals do not overlap). So they have no light, no column in the
 * report's team table and no "change since" figure; they share the report's parts (summary and whole results)
 * with the KPIs, and have their own view, headlines and report lines.
 */
export const OUTCOME_KEYS = ['customerSatisfaction', 'featureAdoption', 'roi', 'releaseImpact'] as const;
export type OutcomeKey = (typeof OUTCOME_KEYS)[number];

/** Every result of a report: the seven KPIs, then the customer outcomes. */
export const RESULT_KEYS = [...KPI_KEYS, ...OUTCOME_KEYS] as const;
export type ResultKey = KpiKey | OutcomeKey;

/** Higher is better for `atLeast` thresholds, lower is better for `atMost`. */
export interface Thresholds {
  readonly green: number;
  readonly amber: number;
}

export const LIGHT_THRESHOLDS = {
  velocitySayDo: { green: 0.8, amber: 0.6 },
  sprintGoalRate: { green: 0.7, amber: 0.5 },
  impedimentMedianWorkingHours: { green: 8, amber: 24 },
  releasePredictability: { green: 0.8, amber: 0.6 },
  releaseForecastOnTime: { green: 0.8, amber: 0.5 },
  flowAgingAboveP85: { green: 0, amber: 2 },
} as const satisfies Record<string, Thresholds>;

/** Green at or above `green`, amber at or above `amber`, else red. */
export function atLeast(x: number, t: Thresholds): TrafficLight {
  return x >= t.green ? 'green' : x >= t.amber ? 'amber' : 'red';
}

/** Green at or below `green`, amber at or below `amber`, else red. */
export function atMost(x: number, t: Thresholds): TrafficLight {
  return x <= t.green ? 'green' : x <= t.amber ? 'amber' : 'red';
}

export function velocityLight(v: VelocityValue | null): TrafficLight | null {
  return v?.sayDo == null ? null : atLeast(v.sayDo, LIGHT_THRESHOLDS.velocitySayDo);
}

export function sprintGoalRateLight(v: SprintGoalRateValue | null): TrafficLight | null {
  return v ? atLeast(v.rate, LIGHT_THRESHOLDS.sprintGoalRate) : null;
}

/** Judged on what was resolved: with nothing resolved in the window there is no resolution time to judge. */
export function impedimentLight(v: ImpedimentResolutionTimeValue | null): TrafficLight | null {
  return v?.workingHours ? atMost(v.workingHours.median, LIGHT_THRESHOLDS.impedimentMedianWorkingHours) : null;
}

/** Never red: a sprint behind its projection mid-way is a prompt to talk, not a failure yet. */
export function sprintProgressLight(v: SprintProgressValue | null): TrafficLight | null {
  return v?.onTrack == null ? null : v.onTrack ? 'green' : 'amber';
}

export function backlogHealthLight(v: BacklogHealthValue | null): TrafficLight | null {
  return v?.light ?? null;
}

/**
 * The worse of two lights: the delivered share of past releases, and the next open release's probability of
 * finishing by its planned date. A past that delivered is not green while the next release is unlikely to ship.
 */
export function releasePredictabilityLight(v: ReleasePredictabilityValue | null): TrafficLight | null {
  return releasePredictabilityJudgement(v)?.light ?? null;
}

/** The release predictability light and which of its two figures set it (for the headline). */
export function releasePredictabilityJudgement(v: ReleasePredictabilityValue | null): { light: TrafficLight; by: 'delivered' | 'forecast' } | null {
  const delivered = v?.predictability == null ? null : atLeast(v.predictability, LIGHT_THRESHOLDS.releasePredictability);
  const forecast = v?.nextRelease ? atLeast(v.nextRelease.probabilityOnTime, LIGHT_THRESHOLDS.releaseForecastOnTime) : null;
  if (delivered === null && forecast === null) return null;
  if (forecast !== null && (delivered === null || SEVERITY[forecast] > SEVERITY[delivered])) return { light: forecast, by: 'forecast' };
  return { light: delivered!, by: 'delivered' };
}

const SEVERITY: Readonly<Record<TrafficLight, number>> = { green: 0, amber: 1, red: 2 };

/** Without finished items there is no cycle-time P85 to age WIP against: no light, not a vacuous green. */
export function flowLight(v: FlowValue | null): TrafficLight | null {
  return v?.cycleTimeDays ? atMost(v.agingAboveP85, LIGHT_THRESHOLDS.flowAgingAboveP85) : null;
}

/** The light of one KPI of a report. */
export function kpiLight(report: MetricsReport, key: KpiKey): TrafficLight | null {
  switch (key) {
    case 'velocity':
      return velocityLight(report.velocity.value);
    case 'sprintGoalRate':
      return sprintGoalRateLight(report.sprintGoalRate.value);
    case 'impedimentResolutionTime':
      return impedimentLight(report.impedimentResolutionTime.value);
    case 'sprintProgress':
      return sprintProgressLight(report.sprintProgress.value);
    case 'backlogHealth':
      return backlogHealthLight(report.backlogHealth.value);
    case 'releasePredictability':
      return releasePredictabilityLight(report.releasePredictability.value);
    case 'flow':
      return flowLight(report.flow.value);
  }
}

export function kpiLights(report: MetricsReport): Record<KpiKey, TrafficLight | null> {
  return Object.fromEntries(KPI_KEYS.map((k) => [k, kpiLight(report, k)])) as Record<KpiKey, TrafficLight | null>;
}

/** The rule of each KPI's light in words, as the dashboard shows it beside the light. */
export function lightRules(): Record<KpiKey, string> {
  const t = LIGHT_THRESHOLDS;
  return {
    velocity: `say/do >= ${t.velocitySayDo.green} green, >= ${t.velocitySayDo.amber} amber, else red`,
    sprintGoalRate: `>= ${t.sprintGoalRate.green} green, >= ${t.sprintGoalRate.amber} amber, else red`,
    impedimentResolutionTime: `median working hours <= ${t.impedimentMedianWorkingHours.green} green, <= ${t.impedimentMedianWorkingHours.amber} amber, else red`,
    sprintProgress: 'on track green, behind amber',
    backlogHealth: 'its own lights (score >= 75 green, >= 50 amber, else red)',
    releasePredictability: `the worse of delivered / planned (>= ${t.releasePredictability.green} green, >= ${t.releasePredictability.amber} amber, else red) and the next release's chance of its planned date (>= ${t.releaseForecastOnTime.green} green, >= ${t.releaseForecastOnTime.amber} amber, else red)`,
    flow: `WIP items older than the cycle-time P85: ${t.flowAgingAboveP85.green} green, up to ${t.flowAgingAboveP85.amber} amber, more red`,
  };
}

/** The rules in words, for `--help`: one line per KPI. */
export function describeLights(): string[] {
  const r = lightRules();
  return [
    `velocity: ${r.velocity}`,
    `sprint goal rate: ${r.sprintGoalRate}`,
    `impediments: ${r.impedimentResolutionTime}`,
    `sprint progress: ${r.sprintProgress}`,
    `backlog health: ${r.backlogHealth}`,
    `release predictability: ${r.releasePredictability}`,
    `flow: ${r.flow}`,
  ];
}
