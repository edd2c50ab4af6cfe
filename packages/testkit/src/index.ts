/**
 * @agile-kpi/testkit: a seeded team simulator that writes Jira-like histories in the neutral model together with
 * the ground truth behind them, so that every metric can be tested against facts it did not compute itself.
 */
export { simulateTeam } from './simulate-team';
export { simulateOrganisation, ORGANISATION_ITEMS_PER_SPRINT, ORGANISATION_ZONES } from './simulate-organisation';
export type { SimulateOrganisationOptions } from './simulate-organisation';
export { DEFAULT_TEAM_OPTIONS } from './options';
export type { SimulateTeamOptions } from './options';
export type { GroundTruth, SprintTruth, ImpedimentTruth, ReleaseTruth, FeatureTruth, SimulatedTeam } from './ground-truth';
export { simulateOutcomes } from './simulate-outcomes';
export type { AdoptionCurve, BenefitSeries, FeatureSeries, FeatureSeriesTruth, OutcomeTruth, SimulateOutcomesOptions, SimulatedOutcomes, SurveyEffect, SurveySeries } from './simulate-outcomes';
export { countChanges } from './count-events';
export { snapshotAt } from './snapshot-at';
export {
  startSimulatedJira,
  renderJiraSite,
  renderSite,
  JiraSite,
  RequestLog,
  parseJql,
  JqlError,
  UNBOUNDED_MESSAGE,
} from './jira/index';
export type {
  ServeOptions,
  SimulatedJira,
  SimulatedJiraSettings,
  StartSimulatedJiraOptions,
  RenderedJiraSite,
  HistoryItem,
  HistoryRecord,
  IssueCreate,
  IssueEdit,
  IssueRecord,
  JiraIdMap,
  JiraSiteOptions,
  SprintRecord,
  TeamRecord,
  VersionRecord,
  CustomFieldIds,
  PageCaps,
  JiraFaults,
  RateLimitRule,
  UnavailableRule,
  ServerErrorRule,
  BurstRule,
  RequestKind,
  RequestRecord,
} from './jira/index';
export {
  startSimulatedAzureDevOps,
  renderAzureDevOpsSite,
  AzureDevOpsSite,
  sprintFinishDate,
  AZURE_DEVOPS_PROCESSES,
  azureDevOpsStateOf,
  workItemTypeOf,
  BATCH_LIMIT,
  AZURE_DEVOPS_DEFAULT_CAPS,
  QUERY_SIZE_LIMIT_MESSAGE,
  WIQL_LIMIT,
  AzureDevOpsRequestLog,
  parseWiql,
  WiqlError,
} from './azure-devops/index';
export type {
  AzureDevOpsServeOptions,
  SimulatedAzureDevOps,
  SimulatedAzureDevOpsSettings,
  StartSimulatedAzureDevOpsOptions,
  RenderedAzureDevOpsSite,
  RenderedWorkItem,
  AdoAccount,
  AzureDevOpsIdMap,
  AzureDevOpsSiteOptions,
  ItemState,
  NodeRecord,
  ProjectRecord,
  RevisionRecord,
  WorkItemCreate,
  WorkItemEdit,
  WorkItemRecord,
  AzureDevOpsProcess,
  ProcessDef,
  StateCategory,
  StateDef,
  WorkItemTypeDef,
  AzureDevOpsPageCaps,
  AzureDevOpsFaults,
  AzureDevOpsBurstRule,
  DelayRule,
  AzureDevOpsServerErrorRule,
  ThrottleRule,
  AzureDevOpsUnavailableRule,
  AzureDevOpsRequestKind,
  AzureDevOpsRequestRecord,
} from './azure-devops/index';
export type { WireTamper } from './http-sim/wire-tamper';
export * from './captured-sites';
