/** Replay servers: real captured tracker answers served through the endpoints the adapters read. */
export { startCapturedJira, fixVersionsOf, issueTypesOf, columnsByStatusCategory } from './jira/captured-site';
export type { CapturedJira, CapturedJiraBoard, CapturedJiraRequestKind, StartCapturedJiraOptions } from './jira/captured-site';
export { startCapturedAzureDevOps, httpExampleBody } from './azure-devops/captured-site';
export type { CapturedAzureDevOps, CapturedAzureDevOpsOrg, CapturedAzureDevOpsRequestKind, StartCapturedAzureDevOpsOptions } from './azure-devops/captured-site';
export type { JsonText } from './http-sim/raw-json';
