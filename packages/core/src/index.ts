export * from './model/types';
export { WORK_ITEM_CHECK_VERSION, assembleSnapshot, checkWorkItem, parseSnapshot, SnapshotError, snapshotInputSchema, workItemSchema } from './model/schema';
export type { SnapshotInput } from './model/schema';
export { parseInstant, formatInstant } from './time/instant';
export { readInstant, readDate, quoteRaw } from './time/read-timestamp';
export { TeamCalendar } from './time/team-calendar';
export { HistoryIndex } from './history/history-index';
export type { WorkItemHistory, Membership, SprintSchedule } from './history/history-index';
export { TIMELINE_DEFAULTS, TimelineIndex } from './history/timeline-index';
export type { Interval, TimelineColumns } from './history/timeline-index';
export { columnarItem, columnsOf, timelineValues } from './history/item-columns';
export type { ItemColumns, ItemFields } from './history/item-columns';
export * from './result';
export * from './metrics/velocity';
export * from './metrics/azure-devops-velocity';
export * from './metrics/sprint-goal-rate';
export * from './metrics/impediment-resolution-time';
export * from './metrics/sprint-progress';
export * from './metrics/backlog-health';
export * from './metrics/release-predictability';
export * from './metrics/flow';
export { monteCarlo } from './forecast/monte-carlo';
export type { MonteCarloInput, MonteCarloForecast } from './forecast/monte-carlo';
export { dataQuality } from './data-quality';
export { computeMetrics } from './compute-metrics';
export { canonicalJson, fnv1a } from './canonical-json';
export type { MetricResults, MetricsOptions, MetricsReport } from './compute-metrics';
export {
  IMPEDIMENT_DAYS_WITHOUT_SPRINTS,
  METRIC_OPTIONS,
  MetricOptionError,
  checkMetricOptions,
  metricOptionsSchema,
  optionRule,
  resolveMetricOptions,
} from './options/metric-options-schema';
export type { MetricOptionDescriptor, MetricWithOptions, ResolvedOptions } from './options/metric-options-schema';
export { explainChange } from './explain/explain-change';
export type { ChangeQuestion } from './explain/explain-change';
export { EXPLAINED_KPIS } from './explain/change-explanation';
export type { CauseItem, ChangeCause, ChangeExplanation, ExplainedKpi, ExplainedPeriod } from './explain/change-explanation';
export { velocityChange } from './explain/velocity-change';
export type { VelocityChangeOptions } from './explain/velocity-change';
export { cycleTimeChange } from './explain/cycle-time-change';
export type { CycleTimeChangeOptions } from './explain/cycle-time-change';
export { goalRateChange } from './explain/goal-rate-change';
export type { GoalRateChangeOptions } from './explain/goal-rate-change';
export { forecastChange } from './explain/forecast-change';
export type { ForecastChangeOptions } from './explain/forecast-change';
export type { CustomerOutcomes, SurveyResponse, FeatureUsage, FeatureLink, BenefitEntry } from './model/outcomes';
export { parseOutcomes, customerOutcomesSchema, NO_OUTCOMES, SCORE_SCALES } from './model/outcomes';
export { OUTCOME_COLUMNS, OUTCOME_KINDS, bindOutcomes, outcomeRecord } from './model/outcome-records';
export type { BenefitRecord, FieldProblem, OutcomeKind, OutcomeRecord, OutcomeSettings, ResponseRecord, UsageRecord } from './model/outcome-records';
export { COST_PER_SPRINT_RULE, FEATURE_MAPPING_RULE, MAX_FEATURE_MAPPINGS, checkCost, checkFeatureLink, checkOutcomeSettings, readCostPerSprint, readFeatureLink } from './model/outcome-settings';
export type { SettingsCheck } from './model/outcome-settings';
export { wilsonInterval, bootstrapInterval, overlaps } from './stats/intervals';
export type { Interval95 } from './stats/intervals';
export * from './metrics/customer-satisfaction';
export * from './metrics/feature-adoption';
export * from './metrics/roi';
export * from './metrics/release-impact';
