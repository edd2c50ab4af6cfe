/**
 * @agile-kpi/report/notify: the health report as a Jira notification, for the Forge app's backend. The same
 * model, figures and sentences as `buildReport` (./report-model, ./report-wording), rendered without MJML and
 * without charts: a plain, inline-styled `htmlBody` and the plain-text `textBody`. Nothing here loads MJML,
 * ECharts, resvg or React, so Forge's bundler (webpack) packs it into the backend; `buildReport` (the CLI's
 * email, MJML with PNG charts) stays on the main entry.
 */
import { emailText } from './email-text';
import { notifyHtml } from './notify-html';
import { type TeamInput, reportParts } from './report-model';
import type { ReportSummary } from './report-summary';

export { checkSummary } from './report-summary';
export type { ReportSummary } from './report-summary';
export { lastClosedSprint } from './lead-sentences';
export type { TeamInput } from './report-model';

export interface NotifyReportOptions {
  /** The name in the subject and the heading (default "agile-kpi"). */
  readonly product?: string;
  /** Why the reader gets this, at the bottom. */
  readonly footerNote?: string;
}

/** The fields of Jira's notify request body the report fills, and the summary to keep for the next one. */
export interface NotifyReport {
  readonly subject: string;
  readonly htmlBody: string;
  readonly textBody: string;
  readonly summary: ReportSummary;
}

/**
 * One team's health report for `POST /rest/api/3/issue/{issueIdOrKey}/notify`: `subject`, `htmlBody` and
 * `textBody` as buildReport words them (lights, figures, changes since `previous`, lead sentences, evidence and
 * dashboard links), and the summary to store and pass back as `previous` next time.
 *
 * @example const n = notifyReport({ report, previous, dashboardUrl }); await notify({ subject: n.subject, htmlBody: n.htmlBody, textBody: n.textBody, to });
 */
export function notifyReport(team: TeamInput, options: NotifyReportOptions = {}): NotifyReport {
  const { sections, frame, summary } = reportParts([team], options, () => []);
  const section = sections[0]!;
  return { subject: frame.subject, htmlBody: notifyHtml(section, frame), textBody: emailText(sections, frame), summary: summary[0]! };
}
