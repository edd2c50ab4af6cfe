import type { MetricsReport } from '@agile-kpi/core';
import {
  type ChartTheme,
  LIGHT_CHART_THEME,
  burndownChartOption,
  forecastReleases,
  num,
  releaseForecastChartOption,
  renderChartSvg,
  throughputChartOption,
  unitLabel,
  velocityChartOption,
} from '@agile-kpi/dashboard';
import { renderPng } from './render-png';

/** ECharts' option type, as the dashboard's builders return it (echarts is the dashboard's dependency, not ours). */
type EChartsOption = ReturnType<typeof velocityChartOption>;

/**
 * The dashboard's light theme with fonts resvg finds on servers, named in single quotes: ECharts writes the
 * family into a double-quoted style attribute unescaped, and an SVG parser (unlike a browser's HTML parser)
 * rejects the double quotes of the dashboard's own font list.
 */
export const EMAIL_CHART_THEME: ChartTheme = { ...LIGHT_CHART_THEME, fontFamily: "'Helvetica Neue', Arial, 'Liberation Sans', 'DejaVu Sans', sans-serif" };

/** A chart as the email embeds it: PNG bytes, referenced from the HTML as `cid:<cid>`. */
export interface ReportImage {
  readonly cid: string;
  readonly filename: string;
  readonly png: Buffer;
  readonly alt: string;
  readonly caption: string;
  /** Layout size in CSS pixels (the PNG has `scale` times as many). */
  readonly width: number;
  readonly height: number;
}

export interface ChartImageOptions {
  /** Layout width in CSS pixels (default 560: a 600 px email minus its margins). */
  readonly width?: number;
  /** Device pixels per CSS pixel (default 2). */
  readonly scale?: number;
  /** Keeps cids and file names apart between the teams of one email. */
  readonly prefix: string;
}

interface ChartSpec {
  readonly id: string;
  readonly caption: (r: MetricsReport) => string;
  readonly option: (r: MetricsReport, theme: ChartTheme) => EChartsOption | null;
  readonly alt: (r: MetricsReport) => string;
}

/**
 * The charts of one team, drawn by the dashboard's own option builders (so the email and the dashboard agree),
 * rendered to SVG by ECharts in Node and to PNG by resvg: velocity per sprint, the active sprint's burndown,
 * the forecast of open releases and weekly throughput. A chart without data is left out, not drawn empty. Each
 * has an alt text with its key numbers, for readers whose client blocks images.
 */
export function chartImages(r: MetricsReport, options: ChartImageOptions): ReportImage[] {
  const width = options.width ?? 560;
  const height = Math.round(width / 2);
  const scale = options.scale ?? 2;
  const out: ReportImage[] = [];
  for (const spec of CHARTS) {
    const option = spec.option(r, EMAIL_CHART_THEME);
    if (!option) continue;
    const svg = renderChartSvg(option, { width, height });
    out.push({
      cid: `${options.prefix}-${spec.id}@agile-kpi`,
      filename: `${options.prefix}-${spec.id}.png`,
      png: renderPng(svg, { width, scale }),
      alt: spec.alt(r),
      caption: spec.caption(r),
      width,
      height,
    });
  }
  return out;
}

const CHARTS: readonly ChartSpec[] = [
  {
    id: 'velocity',
    caption: (r) => `Velocity: committed and completed ${unitLabel(r.velocity.unit)} per sprint`,
    option: (r, theme) => (r.velocity.details.sprints.length ? velocityChartOption(r.velocity, theme) : null),
    alt: (r) => {
      const unit = unitLabel(r.velocity.unit);
      const sprints = r.velocity.details.sprints.map((s) => `${s.name}${s.state === 'active' ? ' (active)' : ''} ${num(s.committed.points)} committed, ${num(s.completed.points)} completed`);
      const v = r.velocity.value;
      return `Velocity chart in ${unit}: ${sprints.join('; ')}${v ? `; velocity ${num(v.velocity)} ${unit}` : ''}.`;
    },
  },
  {
    id: 'burndown',
    caption: (r) => `Burndown of ${r.sprintProgress.value?.name ?? 'the active sprint'}`,
    option: (r, theme) => (r.sprintProgress.value ? burndownChartOption(r.sprintProgress, theme) : null),
    alt: (r) => {
      const p = r.sprintProgress.value!;
      const unit = unitLabel(r.sprintProgress.unit);
      return `Burndown of ${p.name}: ${num(p.remaining)} of ${num(p.scope)} ${unit} left after ${num(p.workingDaysElapsed)} of ${num(p.workingDaysTotal)} working days; the ideal line is at ${num(p.idealRemaining)} ${unit}.`;
    },
  },
  {
    id: 'release-forecast',
    caption: () => 'Release forecast: 50 %, 85 % and 95 % dates against the planned date',
    option: (r, theme) => (forecastReleases(r.releasePredictability).length ? releaseForecastChartOption(r.releasePredictability, theme) : null),
    alt: (r) =>
      `Release forecast: ${forecastReleases(r.releasePredictability)
        .map((x) => `${x.name} planned ${x.latestPlannedDate ?? 'without a date'}, 50 % by ${x.forecast?.p50 ?? 'n/a'}, 85 % by ${x.forecast?.p85 ?? 'n/a'}, 95 % by ${x.forecast?.p95 ?? 'n/a'}`)
        .join('; ')}.`,
  },
  {
    id: 'throughput',
    caption: () => 'Throughput: items finished per week',
    option: (r, theme) => (r.flow.value ? throughputChartOption(r.flow, theme) : null),
    alt: (r) => {
      const f = r.flow;
      return `Throughput chart: ${f.details.weeks.map((w) => `week of ${w.week} ${w.finished}`).join(', ')}; this week so far ${f.details.currentWeek.finished}; mean ${num(f.value!.throughputPerWeek)} a week.`;
    },
  },
];
