import { computeMetrics, type MetricsReport } from './compute-metrics';
import type { BacklogHealthParams, BacklogHealthRole, BacklogHealthResult } from './metrics/backlog-health';
import type { CustomerSatisfactionParams, CustomerSatisfactionRole } from './metrics/customer-satisfaction';
import type { FeatureAdoptionParams, FeatureAdoptionRole } from './metrics/feature-adoption';
import type { FlowParams, FlowRole } from './metrics/flow';
import type { ImpedimentResolutionTimeParams, ImpedimentRole } from './metrics/impediment-resolution-time';
import type { ReleaseImpactParams, ReleaseImpactRole } from './metrics/release-impact';
import type { ReleasePredictabilityParams, ReleasePredictabilityRole } from './metrics/release-predictability';
import type { RoiParams, RoiRole } from './metrics/roi';
import type { SprintGoalRateParams, SprintGoalRateResult, SprintGoalRole } from './metrics/sprint-goal-rate';
import type { SprintProgressParams, SprintProgressRole } from './metrics/sprint-progress';
import type { VelocityParams, VelocityResult, VelocityRole } from './metrics/velocity';
import type { Evidence, MetricName, MetricResult } from './result';
import { goldenOutcomes, outcomesGoldenSnapshot } from './testing/outcomes-golden';

/**
 * Each metric's `params` and evidence `role`s are declared in its result type, so that renderers read them
 * without casting. The compiler holds the modules to their declarations (`npx tsc -p tsconfig.test.json` compiles
 * the `@ts-expect-error` lines below: each must be an error, or the check fails); the runtime half checks, on a
 * board with every kind of data, that what the metrics publish is exactly what their types name.
 */

/** Every key of `T`, once: the compiler refuses a missing or an extra key, so the list follows the type. */
const keysOf = <T extends object>(keys: Record<keyof T, true>): string[] => Object.keys(keys).sort();
/** Every role of the union `R`, once, in the same way. */
const rolesOf = <R extends string>(roles: Record<R, true>): string[] => Object.keys(roles).sort();

describe('typed params and evidence roles', () => {
  it('refuses, at compile time, a param or a role a metric does not declare', () => {
    const check = (velocityResult: VelocityResult, goals: SprintGoalRateResult, backlog: BacklogHealthResult) => {
      // @ts-expect-error velocity publishes no inferredThreshold (the goal rate does)
      void velocityResult.params.inferredThreshold;
      void goals.params.inferredThreshold.toFixed(2);
      // @ts-expect-error a role velocity never gives
      const wrongRole: Evidence<VelocityRole> = { itemId: 'jira:issue:1', key: 'A-1', role: 'ready' };
      // @ts-expect-error the comparison of a role with a literal outside the union is refused
      void backlog.evidence.filter((e) => e.role === 'not ready');
      // @ts-expect-error a params object with a key the type does not declare
      const extra: FlowParams = { weeks: 12, asOf: '', timeZone: 'UTC', percentileMethod: '', unit: '', window: 3 };
      // @ts-expect-error readyDepthMode is a closed union, not any string
      const mode: BacklogHealthParams['readyDepthMode'] = 'some';
      // @ts-expect-error a misspelt KPI name is not a metric
      const typo: MetricResult<number>['metric'] = 'velocty';
      // Without the last two type parameters a result is as loose as before: older code still compiles.
      const loose: MetricResult<number> = { metric: 'velocity', value: 1, unit: 'u', evidence: [], excluded: [], warnings: [], params: { any: 1 }, details: undefined };
      // A precise result is still a plain MetricResult.
      const widened: MetricResult<unknown, unknown> = velocityResult;
      return [wrongRole, extra, mode, typo, loose, widened];
    };
    expect(typeof check).toBe('function');
  });

  const report: MetricsReport = computeMetrics(outcomesGoldenSnapshot(), {}, goldenOutcomes);

  it('publishes exactly the params each result type declares', () => {
    const declared: Record<MetricName, string[]> = {
      velocity: keysOf<VelocityParams>({ lastN: true, historyCount: true, asOf: true, estimateUnit: true, doneRule: true, azureDevOps: true }),
      sprintGoalRate: keysOf<SprintGoalRateParams>({ lastN: true, inferredThreshold: true, goalLabel: true, asOf: true }),
      impedimentResolutionTime: keysOf<ImpedimentResolutionTimeParams>({ window: true, sources: true, blockedStatuses: true, workingDays: true, workingHours: true, timeZone: true, percentileMethod: true, staleOpenDays: true, asOf: true }),
      sprintProgress: keysOf<SprintProgressParams>({ asOf: true, timeZone: true, sampling: true, sprintId: true }),
      backlogHealth: keysOf<BacklogHealthParams>({ asOf: true, velocity: true, staleDays: true, readyDepthMode: true, estimatedHorizonSprints: true, topItemsChecked: true, growthSprints: true, weights: true, thresholds: true, definitionOfReady: true }),
      releasePredictability: keysOf<ReleasePredictabilityParams>({ lastN: true, basis: true, forecastSprints: true, forecastWeeks: true, trials: true, seed: true, asOf: true, timeZone: true }),
      flow: keysOf<FlowParams>({ weeks: true, asOf: true, timeZone: true, percentileMethod: true, unit: true }),
      customerSatisfaction: keysOf<CustomerSatisfactionParams>({ trendPeriods: true, seed: true, fewResponses: true, timeZone: true, asOf: true }),
      featureAdoption: keysOf<FeatureAdoptionParams>({ target: true, days: true, asOf: true, timeZone: true }),
      roi: keysOf<RoiParams>({ costPerSprint: true, currency: true, costRule: true, benefitRule: true, asOf: true }),
      releaseImpact: keysOf<ReleaseImpactParams>({ weeks: true, seed: true, rule: true, asOf: true }),
    };
    for (const [metric, keys] of Object.entries(declared)) {
      expect([metric, Object.keys(report[metric as MetricName].params).sort()]).toEqual([metric, keys]);
    }
  });

  it('gives only the evidence roles each result type declares', () => {
    const declared: Record<MetricName, string[]> = {
      velocity: rolesOf<VelocityRole>({ committed: true, completed: true, added: true, removed: true, 're-estimated': true, 'carried-over': true, 'completed-outside': true, 'ado-planned': true, 'ado-completed': true, 'ado-completed-late': true, 'ado-incomplete': true }),
      sprintGoalRate: rolesOf<SprintGoalRole>({ 'goal-item': true, committed: true, completed: true }),
      impedimentResolutionTime: rolesOf<ImpedimentRole>({ resolved: true, open: true }),
      sprintProgress: rolesOf<SprintProgressRole>({ done: true, remaining: true, added: true, removed: true }),
      backlogHealth: rolesOf<BacklogHealthRole>({ ready: true, 'not-ready': true }),
      releasePredictability: rolesOf<ReleasePredictabilityRole>({ planned: true, delivered: true, added: true, dropped: true, remaining: true }),
      flow: rolesOf<FlowRole>({ finished: true, wip: true }),
      customerSatisfaction: rolesOf<CustomerSatisfactionRole>({ satisfied: true, 'not-satisfied': true, promoter: true, passive: true, detractor: true }),
      featureAdoption: rolesOf<FeatureAdoptionRole>({ 'feature-epic': true }),
      roi: rolesOf<RoiRole>({ 'epic-cost': true }),
      releaseImpact: rolesOf<ReleaseImpactRole>({ delivered: true, 'csat-before': true, 'csat-after': true, 'nps-before': true, 'nps-after': true }),
    };
    const perPart = [
      ...report.velocity.details.sprints.flatMap((s) => s.evidence.map((e) => ['velocity', e.role])),
      ...report.sprintGoalRate.details.sprints.flatMap((s) => s.evidence.map((e) => ['sprintGoalRate', e.role])),
      ...report.releasePredictability.details.releases.flatMap((r) => r.evidence.map((e) => ['releasePredictability', e.role])),
      ...report.releaseImpact.details.releases.flatMap((r) => r.evidence.map((e) => ['releaseImpact', e.role])),
    ];
    const given = [...Object.keys(declared).flatMap((m) => report[m as MetricName].evidence.map((e) => [m, e.role])), ...perPart];
    expect(given.length).toBeGreaterThan(0);
    expect(given.filter(([m, role]) => !declared[m as MetricName].includes(role!))).toEqual([]);
  });
});
