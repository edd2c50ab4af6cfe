/** A wire-accurate simulated Jira Cloud built from simulated teams. */
export { startSimulatedJira } from './server';
export type { ServeOptions, SimulatedJira, SimulatedJiraSettings, StartSimulatedJiraOptions } from './server';
export { renderJiraSite, renderSite } from './render';
export type { RenderedJiraSite } from './render';
export { JiraSite } from './site';
export type {
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
} from './site';
export type { CustomFieldIds } from './catalog';
export type { PageCaps } from './api';
export type { JiraFaults, RateLimitRule, UnavailableRule, ServerErrorRule, BurstRule } from './faults';
export { RequestLog } from './requests';
export type { RequestKind, RequestRecord } from './requests';
export { parseJql, JqlError, UNBOUNDED_MESSAGE } from './jql';
export { ServiceDesk, SATISFACTION_TYPES } from './service-desk';
export type { SatisfactionFieldIds, ServiceProjectInput, ServiceProjectRecord, ServiceRequestInput, ServiceRequestRecord } from './service-desk';
