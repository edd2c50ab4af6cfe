/**
 * @agile-kpi/report: health reports for leads — an HTML email (MJML, inlined CSS, table layout) with a plain-text
 * alternative and the dashboard's charts as inline PNG images (ECharts server-side SVG, resvg), one team or a
 * roll-up of several. Sending is the caller's business (the CLI's SMTP, the Forge app's notify API). The Forge
 * app's backend imports `@agile-kpi/report/notify` (a lean notify body: no MJML, no charts) instead of this entry.
 */
export { buildReport } from './build-report';
export type { BuildReportOptions, BuiltReport } from './build-report';
export { notifyReport } from './notify';
export type { NotifyReport, NotifyReportOptions } from './notify';
export type { TeamInput, TeamSection, OpenImpediment } from './report-model';
export { worstLight } from './report-model';
export { reportSummary, kpiFigure, teamKey, checkSummary } from './report-summary';
export type { ReportSummary, KpiSnapshot } from './report-summary';
export { leadSentences, lastClosedSprint, lastGoal } from './lead-sentences';
export type { LeadSentence, EvidenceLink } from './lead-sentences';
export { kpiLines, changeSince, dashboardLink } from './kpi-lines';
export type { KpiLine } from './kpi-lines';
export { OUTCOMES_HEADING, outcomeLines } from './outcome-lines';
export type { OutcomeLine } from './outcome-lines';
export { chartImages } from './chart-images';
export type { ReportImage, ChartImageOptions } from './chart-images';
export { renderPng } from './render-png';
export { subjectLine } from './subject-line';
export { browserHtml } from './browser-html';
