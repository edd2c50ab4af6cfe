import type { MetricsReport, TrafficLight } from '@agile-kpi/core';
import { type KpiKey, allWarnings, localDate, localDateTime } from '@agile-kpi/presentation';
import type { ReportImage } from './chart-images';
import { type KpiLine, kpiLines } from './kpi-lines';
import { type OutcomeLine, outcomeLines } from './outcome-lines';
import { safeHttpUrl, wholeDays } from './report-format';
import { type ReportSummary, reportSummary } from './report-summary';
import { subjectLine } from './subject-line';

/** One team going into a report: its metrics, what the last report said, and where its dashboard is. */
export interface TeamInput {
  readonly report: MetricsReport;
  /** The summary of the previous report (as `buildReport` returned it then): each KPI shows its change since. */
  readonly previous?: ReportSummary;
  /** The team's dashboard (Jira dashboard, Azure DevOps hub, `agile-kpi serve`): every KPI links to its view. */
  readonly dashboardUrl?: string;
}

/** An open impediment as the report lists it: the ones open longest first. */
export interface OpenImpediment {
  readonly key: string;
  readonly title: string;
  readonly url?: string;
  readonly days: number;
}

/** Everything the HTML and the text version say about one team; both are rendered from this. */
export interface TeamSection {
  readonly anchor: string;
  readonly name: string;
  /** "2025-06-16 12:00 Europe/Berlin". */
  readonly asOf: string;
  /** "jira · https://x.atlassian.net · board 42". */
  readonly source: string;
  /** The worst light of the team's KPIs. */
  readonly overall: TrafficLight | null;
  readonly lights: Readonly<Record<KpiKey, TrafficLight | null>>;
  readonly lines: readonly KpiLine[];
  /** The customer outcomes that have data (none for a team without survey, analytics or benefit data). */
  readonly outcomes: readonly OutcomeLine[];
  readonly images: readonly ReportImage[];
  /** The previous report's local date, or undefined on a first report. */
  readonly previousDate?: string;
  readonly openImpediments: readonly OpenImpediment[];
  readonly warnings: number;
  readonly dashboardUrl?: string;
}

const ORDER: readonly (TrafficLight | null)[] = ['red', 'amber', 'green'];

/** The worst of some lights (red before amber before green); null when none is lit. */
export function worstLight(lights: readonly (TrafficLight | null)[]): TrafficLight | null {
  return ORDER.find((l) => l !== null && lights.includes(l)) ?? null;
}

/** The model of one team's section. `images` are rendered by the caller (they are optional). */
export function teamSection(input: TeamInput, index: number, images: readonly ReportImage[]): TeamSection {
  const r = input.report;
  const zone = r.team.timeZone;
  const lines = kpiLines(r, input.previous, input.dashboardUrl);
  const lights = Object.fromEntries(lines.map((l) => [l.key, l.light])) as Record<KpiKey, TrafficLight | null>;
  const open = [...r.impedimentResolutionTime.details.open]
    .sort((a, b) => Date.parse(a.raisedAt) - Date.parse(b.raisedAt))
    .map((i) => {
      const url = safeHttpUrl(i.url);
      return { key: i.key, title: i.title, days: wholeDays(i.raisedAt, r.asOf), ...(url ? { url } : {}) };
    });
  const dashboard = safeHttpUrl(input.dashboardUrl);
  const s = r.source;
  return {
    anchor: `team-${index + 1}`,
    name: r.team.name,
    asOf: `${localDateTime(r.asOf, zone)} ${zone}`,
    source: s ? [s.tracker, s.site, s.board ? `board ${s.board}` : undefined].filter(Boolean).join(' · ') : 'snapshot file',
    overall: worstLight(lines.map((l) => l.light)),
    lights,
    lines,
    outcomes: outcomeLines(r, input.dashboardUrl),
    images,
    ...(input.previous ? { previousDate: localDate(input.previous.asOf, zone) } : {}),
    openImpediments: open,
    warnings: allWarnings(r).length,
    ...(dashboard ? { dashboardUrl: dashboard } : {}),
  };
}

/** What an email says around the teams. */
export interface EmailFrame {
  readonly subject: string;
  /** The line mail clients show after the subject in the inbox. */
  readonly preheader: string;
  readonly product: string;
  /** Why the reader gets this ("Weekly report for the platform leads"), shown at the bottom. */
  readonly footerNote?: string;
}

/** A report before it is rendered: each team's section, the frame around them and the summaries to keep. */
export interface ReportParts {
  readonly sections: readonly TeamSection[];
  readonly frame: EmailFrame;
  /** One per team, in order: store it and pass it back as `previous` next time. */
  readonly summary: readonly ReportSummary[];
}

/**
 * The model every rendering of a report shares (the MJML email with charts, the Forge app's notify HTML, the
 * plain text): `images` draws a team's charts, or none.
 */
export function reportParts(
  teams: readonly TeamInput[],
  options: { readonly product?: string; readonly footerNote?: string | undefined },
  images: (team: TeamInput, index: number) => readonly ReportImage[],
): ReportParts {
  if (teams.length === 0) throw new RangeError('a report needs at least one team ({ report: computeMetrics(snapshot) })');
  const product = options.product ?? 'agile-kpi';
  const sections = teams.map((team, i) => teamSection(team, i, images(team, i)));
  const subject = subjectLine(
    teams.map((t) => t.report),
    sections.map((s) => s.overall),
    product,
  );
  const first = sections[0]!;
  const preheader = sections.length === 1 ? first.lines[0]!.sentence : sections.map((s) => `${s.name}: ${s.overall ?? 'no light'}`).join(' · ');
  return {
    sections,
    frame: { subject, preheader, product, ...(options.footerNote ? { footerNote: options.footerNote } : {}) },
    summary: teams.map((t) => reportSummary(t.report)),
  };
}
