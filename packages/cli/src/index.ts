/** Public API of @agile-kpi/cli: the command for launchers and tests, and the pieces other surfaces reuse. */
export { main, buildProgram } from './main';
export type { Io, TextSink } from './io';
export {
  KPI_KEYS,
  LIGHT_THRESHOLDS,
  atLeast,
  atMost,
  backlogHealthLight,
  describeLights,
  flowLight,
  impedimentLight,
  kpiLight,
  kpiLights,
  releasePredictabilityLight,
  sprintGoalRateLight,
  sprintProgressLight,
  velocityLight,
} from '@agile-kpi/presentation';
export type { KpiKey, Thresholds } from '@agile-kpi/presentation';
export { renderText, kpiSummaries, allWarnings } from './render-text';
export type { RenderOptions } from './render-text';
export { snapshotJsonSchema } from './commands/schema';
export { dashboardApi, checkConfig } from './serve/dashboard-api';
export type { DashboardApi, SnapshotSource } from './serve/dashboard-api';
export { startDashboardServer } from './serve/http-server';
export type { DashboardServer, DashboardServerOptions } from './serve/http-server';
export { memorySource, dashboardWebRoot } from './commands/serve';
export { MAX_UPLOAD_CHARS, memoryOutcomeSink, scopeOutcomeSink, uploadOutcomes } from './serve/outcome-upload';
export type { OutcomeSink } from './serve/outcome-upload';
export { throughJira } from './commands/demo';
export { reportCommand, runReport } from './commands/report';
export type { ReportCommandOptions, ReportDeps } from './commands/report';
export { scheduleCommand, runSchedule } from './commands/schedule';
export type { ScheduleCommandOptions, ScheduleDeps } from './commands/schedule';
export { Scheduler, describeCadence } from './report/scheduler';
export type { SchedulerDeps, RunOptions, RunSummary } from './report/scheduler';
export { loadScheduleConfig, parseScheduleConfig } from './report/schedule-config';
export type { Cadence, ScheduleConfig, ScheduleEntry, RetryPolicy } from './report/schedule-config';
export { type Clock, systemClock } from './report/clock';
export { MailError, mailMessage, parseAddresses, smtpSettings, smtpTransport } from './report/mail';
export type { MailTransport, SmtpSettings } from './report/mail';
export { ReportMemory, audienceKey } from './report/report-memory';
export type { TeamSource } from './report/team-sources';
