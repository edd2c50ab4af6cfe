import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { kpiHeadlines } from './headlines';
import type { FlowValue, ImpedimentResolutionTimeValue, ReleasePredictabilityValue, SprintGoalRateValue, SprintProgressValue, VelocityValue } from '@agile-kpi/core';
import {
  LIGHT_THRESHOLDS,
  atLeast,
  atMost,
  backlogHealthLight,
  describeLights,
  flowLight,
  impedimentLight,
  releasePredictabilityJudgement,
  releasePredictabilityLight,
  sprintGoalRateLight,
  sprintProgressLight,
  velocityLight,
} from './traffic-lights';

const velocity = (sayDo: number | null): VelocityValue => ({ velocity: 20, median: 20, coefficientOfVariation: 0.1, trend: 0, sayDo, sprintsAveraged: 3 });
const goals = (rate: number): SprintGoalRateValue => ({ rate, met: 0, partly: 0, missed: 0, noGoal: 0, sprintsConsidered: 6 });
const impediments = (median: number | null): ImpedimentResolutionTimeValue => ({
  raised: 3,
  resolved: median === null ? 0 : 3,
  open: 1,
  calendarHours: median === null ? null : { median: median * 3, p85: 99, mean: 50, max: 100 },
  workingHours: median === null ? null : { median, p85: 30, mean: 20, max: 40 },
});
const progress = (onTrack: boolean | null) => ({ onTrack }) as SprintProgressValue;
const release = (predictability: number | null): ReleasePredictabilityValue => ({ predictability, onTimeRate: 1, meanSlipDays: 0, releasesConsidered: 2, sprintSayDo: 0.9, nextRelease: null });
const days = { median: 3, p85: 6, p95: 9, mean: 4 };
const flow = (agingAboveP85: number, finished = true): FlowValue => ({
  throughputPerWeek: 4,
  cycleTimeDays: finished ? days : null,
  leadTimeDays: finished ? days : null,
  wip: 5,
  agingAboveP85,
});

describe('traffic lights', () => {
  test('atLeast and atMost are inclusive at both thresholds', () => {
    const t = { green: 0.8, amber: 0.6 };
    expect([0.8, 0.7999, 0.6, 0.5999].map((x) => atLeast(x, t))).toEqual(['green', 'amber', 'amber', 'red']);
    const h = { green: 8, amber: 24 };
    expect([8, 8.01, 24, 24.01].map((x) => atMost(x, h))).toEqual(['green', 'amber', 'amber', 'red']);
  });

  test('velocity reads say/do: >= 0.8 green, >= 0.6 amber, else red; no say/do, no light', () => {
    expect([0.8, 0.79, 0.6, 0.59, 1.3].map((x) => velocityLight(velocity(x)))).toEqual(['green', 'amber', 'amber', 'red', 'green']);
    expect(velocityLight(velocity(null))).toBeNull();
    expect(velocityLight(null)).toBeNull();
  });

  test('sprint goal rate: >= 0.7 green, >= 0.5 amber, else red', () => {
    expect([1, 0.7, 0.69, 0.5, 0.49, 0].map((x) => sprintGoalRateLight(goals(x)))).toEqual(['green', 'green', 'amber', 'amber', 'red', 'red']);
    expect(sprintGoalRateLight(null)).toBeNull();
  });

  test('impediments read the median working hours: <= 8 green, <= 24 amber, else red; nothing resolved, no light', () => {
    expect([0, 8, 8.5, 24, 24.5].map((x) => impedimentLight(impediments(x)))).toEqual(['green', 'green', 'amber', 'amber', 'red']);
    expect(impedimentLight(impediments(null))).toBeNull();
  });

  test('sprint progress is green on track, amber behind, and never red', () => {
    expect([true, false, null].map((x) => sprintProgressLight(progress(x)))).toEqual(['green', 'amber', null]);
  });

  test('backlog health uses its own light', () => {
    expect(backlogHealthLight({ light: 'amber' } as never)).toBe('amber');
    expect(backlogHealthLight(null)).toBeNull();
  });

  test('release predictability: >= 0.8 green, >= 0.6 amber, else red', () => {
    expect([0.8, 0.799, 0.6, 0.599].map((x) => releasePredictabilityLight(release(x)))).toEqual(['green', 'amber', 'amber', 'red']);
    expect(releasePredictabilityLight(release(null))).toBeNull();
  });

  test('flow reads WIP older than the cycle-time P85: 0 green, up to 2 amber, more red', () => {
    expect([0, 1, 2, 3].map((x) => flowLight(flow(x)))).toEqual(['green', 'amber', 'amber', 'red']);
    expect(flowLight(flow(0, false))).toBeNull();
  });

  test('the help text states the same thresholds as the module', () => {
    const text = describeLights().join('\n');
    expect(text).toContain(`say/do >= ${LIGHT_THRESHOLDS.velocitySayDo.green} green`);
    expect(text).toContain(`<= ${LIGHT_THRESHOLDS.impedimentMedianWorkingHours.amber} amber`);
    expect(describeLights()).toHaveLength(7);
  });
});

describe('release predictability: the worse of the past and the next release', () => {
  const value = (predictability: number, probabilityOnTime?: number) =>
    ({
      predictability,
      onTimeRate: null,
      meanSlipDays: null,
      releasesConsidered: 2,
      sprintSayDo: null,
      nextRelease: probabilityOnTime === undefined ? null : { releaseId: 'r3', name: '3.0', plannedDate: '2025-04-20', probabilityOnTime },
    }) as const;

  it('is red when the past delivered but the next release has no chance of its date', () => {
    expect(releasePredictabilityJudgement(value(0.9, 0))).toEqual({ light: 'red', by: 'forecast' });
    expect(releasePredictabilityJudgement(value(0.9, 0.6))).toEqual({ light: 'amber', by: 'forecast' });
    expect(releasePredictabilityJudgement(value(0.9, 0.49))).toEqual({ light: 'red', by: 'forecast' });
  });

  it('follows the delivered share when the next release is as likely or likelier, or has no forecast', () => {
    expect(releasePredictabilityJudgement(value(0.65, 0.9))).toEqual({ light: 'amber', by: 'delivered' });
    expect(releasePredictabilityJudgement(value(0.85, 0.8))).toEqual({ light: 'green', by: 'delivered' });
    expect(releasePredictabilityJudgement(value(0.5))).toEqual({ light: 'red', by: 'delivered' });
    expect(releasePredictabilityLight(null)).toBeNull();
  });

  it('says in the headline which figure set the light', () => {
    const report = computeMetrics(parseSnapshot(simulateTeam({ seed: 3 }).snapshot));
    const withValue = (v: ReturnType<typeof value>) => ({ ...report, releasePredictability: { ...report.releasePredictability, value: v, details: { releases: [] } } });
    expect(kpiHeadlines(withValue(value(0.65, 0))).releasePredictability).toMatch(/; light: red, set by 3\.0's 0% chance of its planned date 2025-04-20$/);
    expect(kpiHeadlines(withValue(value(0.65, 0.9))).releasePredictability).toMatch(/; light: amber, set by the delivered share$/);
  });
});

