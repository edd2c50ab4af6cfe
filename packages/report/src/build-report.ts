import { type ReportImage, chartImages } from './chart-images';
import { emailHtml } from './email-html';
import { emailText } from './email-text';
import { type TeamInput, reportParts } from './report-model';
import type { ReportSummary } from './report-summary';

export interface BuildReportOptions {
  /** Draw the charts as inline PNG images (default true). */
  readonly charts?: boolean;
  /** Chart layout width in CSS pixels (default 560) and device pixels per CSS pixel (default 2). */
  readonly chartWidth?: number;
  readonly chartScale?: number;
  /** The name in the subject and the header (default "agile-kpi"). */
  readonly product?: string;
  /** Why the reader gets this email, at the bottom ("Weekly report for the platform leads; reply to unsubscribe"). */
  readonly footerNote?: string;
}

/** A health report ready to send: the MIME parts and what to remember for the next one. */
export interface BuiltReport {
  readonly subject: string;
  readonly html: string;
  readonly text: string;
  /** Inline images, referenced from the HTML as `cid:<cid>`. */
  readonly images: readonly ReportImage[];
  /** One per team, in order: store it and pass it back as `previous` next time. */
  readonly summary: readonly ReportSummary[];
}

/**
 * The health report of one team, or of several as one email with a roll-up table and a section per team. Each
 * KPI shows its traffic light (the dashboard's rules), its figure, the change since the previous report (from
 * the `previous` summary the caller kept), the sentence a lead would forward and the links to the evidence: the
 * items in the tracker, and the KPI's view on the dashboard when a URL is given.
 *
 * @example const built = await buildReport([{ report, previous, dashboardUrl }]); store(built.summary[0]);
 */
export async function buildReport(teams: readonly TeamInput[], options: BuildReportOptions = {}): Promise<BuiltReport> {
  if (teams.length === 0) throw new RangeError('buildReport: give at least one team ({ report: computeMetrics(snapshot) })');
  const used = new Map<string, number>();
  const { sections, frame, summary } = reportParts(teams, options, (team, i) =>
    options.charts === false
      ? []
      : chartImages(team.report, {
          prefix: uniquePrefix(team.report.team.name, i, used),
          ...(options.chartWidth !== undefined ? { width: options.chartWidth } : {}),
          ...(options.chartScale !== undefined ? { scale: options.chartScale } : {}),
        }),
  );
  return {
    subject: frame.subject,
    html: await emailHtml(sections, frame),
    text: emailText(sections, frame),
    images: sections.flatMap((s) => s.images),
    summary,
  };
}

/** "simulated-team": file names and cids from the team's name, numbered when two teams share one. */
function uniquePrefix(name: string, index: number, used: Map<string, number>): string {
  const slug =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || `team-${index + 1}`;
  const n = (used.get(slug) ?? 0) + 1;
  used.set(slug, n);
  return n === 1 ? slug : `${slug}-${n}`;
}
