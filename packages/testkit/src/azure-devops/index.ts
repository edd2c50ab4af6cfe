/** A wire-accurate simulated Azure DevOps Services organisation built from simulated teams. */
export { startSimulatedAzureDevOps } from './server';
export type {
  ServeOptions as AzureDevOpsServeOptions,
  SimulatedAzureDevOps,
  SimulatedAzureDevOpsSettings,
  StartSimulatedAzureDevOpsOptions,
} from './server';
export { renderAzureDevOpsSite } from './render';
export type { RenderedAzureDevOpsSite, RenderedWorkItem } from './render';
export { AzureDevOpsSite, sprintFinishDate } from './site';
export type {
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
} from './site';
export { AZURE_DEVOPS_PROCESSES, azureDevOpsStateOf, workItemTypeOf } from './process';
export type { AzureDevOpsProcess, ProcessDef, StateCategory, StateDef, WorkItemTypeDef } from './process';
export { BATCH_LIMIT, DEFAULT_CAPS as AZURE_DEVOPS_DEFAULT_CAPS, QUERY_SIZE_LIMIT_MESSAGE, WIQL_LIMIT } from './api';
export type { PageCaps as AzureDevOpsPageCaps } from './api';
export type {
  AzureDevOpsFaults,
  BurstRule as AzureDevOpsBurstRule,
  DelayRule,
  ServerErrorRule as AzureDevOpsServerErrorRule,
  ThrottleRule,
  UnavailableRule as AzureDevOpsUnavailableRule,
} from './faults';
export { RequestLog as AzureDevOpsRequestLog } from './requests';
export type { RequestKind as AzureDevOpsRequestKind, RequestRecord as AzureDevOpsRequestRecord } from './requests';
export { parseWiql, WiqlError } from './wiql';
