import { dataQuality } from './data-quality';
import { HistoryIndex } from './history/history-index';
import { type BacklogHealthOptions, type BacklogHealthResult, backlogHealth } from './metrics/backlog-health';
import { type CustomerSatisfactionOptions, type CustomerSatisfactionResult, customerSatisfaction } from './metrics/customer-satisfaction';
import { type FeatureAdoptionOptions, type FeatureAdoptionResult, featureAdoption } from './metrics/feature-adoption';
import { type FlowOptions, type FlowResult, flow } from './metrics/flow';
import {
  type ImpedimentResolutionTimeOptions,
  type ImpedimentResolutionTimeResult,
  impedimentResolutionTime,
} from './metrics/impediment-resolution-time';
import { type ReleaseImpactOptions, type ReleaseImpactResult, releaseImpact } from './metrics/release-impact';
import { type ReleasePredictabilityOptions, type ReleasePredictabilityResult, releasePredictability } from './metrics/release-predictability';
import { type RoiResult, roi } from './metrics/roi';
import { type SprintGoalRateOptions, type SprintGoalRateResult, sprintGoalRate } from './metrics/sprint-goal-rate';
import { type SprintProgressOptions, type SprintProgressResult, sprintProgress } from './metrics/sprint-progress';
import { type VelocityOptions, type VelocityResult, velocity } from './metrics/velocity';
import { type CustomerOutcomes, NO_OUTCOMES } from './model/outcomes';
import type { Snapshot, TeamSettings } from './model/types';
import type { Warning } from './result';
import { formatInstant } from './time/instant';

export interface MetricsOptions {
  readonly velocity?: VelocityOptions;
  readonly sprintGoalRate?: SprintGoalRateOptions;
  readonly impedimentResolutionTime?: ImpedimentResolutionTimeOptions;
  readonly sprintProgress?: SprintProgressOptions;
  readonly backlogHealth?: Omit<BacklogHealthOptions, 'velocity'>;
  readonly releasePredictability?: ReleasePredictabilityOptions;
  readonly flow?: FlowOptions;
  readonly customerSatisfaction?: CustomerSatisfactionOptions;
  readonly featureAdoption?: FeatureAdoptionOptions;
  readonly releaseImpact?: ReleaseImpactOptions;
}

/** Every KPI's result under its name: the registry of the KPIs, whose keys are {@link MetricName}. */
export interface MetricResults {
  readonly velocity: VelocityResult;
  readonly sprintGoalRate: SprintGoalRateResult;
  readonly impedimentResolutionTime: ImpedimentResolutionTimeResult;
  readonly sprintProgress: SprintProgressResult;
  readonly backlogHealth: BacklogHealthResult;
  readonly releasePredictability: ReleasePredictabilityResult;
  readonly flow: FlowResult;
  /** The customer outcomes beside delivery (survey, analytics and benefit data from outside the tracker). */
  readonly customerSatisfaction: CustomerSatisfactionResult;
  readonly featureAdoption: FeatureAdoptionResult;
  readonly roi: RoiResult;
  readonly releaseImpact: ReleaseImpactResult;
}

/** Every metric for one team at one instant: what the CLI prints, the gadgets draw and the email sends. */
export interface MetricsReport extends MetricResults {
  readonly team: TeamSettings;
  readonly asOf: string;
  readonly source?: Snapshot['source'];
  /** Data-quality warnings of the snapshot itself (from the adapter and the cross-metric checks). */
  readonly warnings: readonly Warning[];
}

/**
 * Computes every metric over one snapshot, building the history index once and sharing the sprint
 * reconstruction between the metrics that read it. Pass a snapshot checked by `parseSnapshot`, and the customer
 * outcomes checked by `parseOutcomes` (none when absent: the outcome results then say what is missing).
 *
 * @example computeMetrics(parseSnapshot(json)).velocity.value?.velocity // 21.33 for completed 20, 24, 20
 */
export function computeMetrics(snapshot: Snapshot, options: MetricsOptions = {}, outcomes: CustomerOutcomes = NO_OUTCOMES): MetricsReport {
  const index = new HistoryIndex(snapshot);
  const v = velocity(index, options.velocity);
  const rp = releasePredictability(index, options.releasePredictability);
  const adoption = featureAdoption(index, outcomes, options.featureAdoption);
  return {
    team: snapshot.team,
    asOf: formatInstant(index.asOfMs),
    ...(snapshot.source ? { source: snapshot.source } : {}),
    warnings: [...snapshot.warnings, ...dataQuality(index)],
    velocity: v,
    sprintGoalRate: sprintGoalRate(index, options.sprintGoalRate),
    impedimentResolutionTime: impedimentResolutionTime(index, options.impedimentResolutionTime),
    sprintProgress: sprintProgress(index, options.sprintProgress),
    backlogHealth: backlogHealth(index, { ...options.backlogHealth, velocity: v.value?.velocity ?? null }),
    releasePredictability: rp,
    flow: flow(index, options.flow),
    customerSatisfaction: customerSatisfaction(index, outcomes, options.customerSatisfaction),
    featureAdoption: adoption,
    roi: roi(index, outcomes),
    releaseImpact: releaseImpact(index, outcomes, rp, adoption, options.releaseImpact),
  };
}
