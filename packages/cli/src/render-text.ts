import Table from 'cli-table3';
import { createColors } from 'picocolors';
import type { BurnPoint, MetricsReport, ReleaseOutcome, SprintGoalEntry, TrafficLight } from '@agile-kpi/core';
// Presentation's OUTCOME_LABELS are the customer outcomes' (the dashboard's main entry's are the sprint goal outcomes').
import { KPI_LABELS, OUTCOME_LABELS, allWarnings, kpiHeadlines, kpiLights, localDate, localDateTime, num, outcomeHeadlines, pct, signed, unitLabel, type KpiKey } from '@agile-kpi/presentation';

export { allWarnings, localDateTime, num };

/**
 * The terminal summary of a {@link MetricsReport}: one line per KPI with its traffic light, then compact tables
 * of the breakdowns people ask about in a retro. It only formats: every figure and light comes from the report
 * and the dashboard's traffic lights and headlines, so the JSON output, this text and the dashboard can never
 * disagree.
 *
 * Times are shown in the team's zone (the zone the metrics used), never the machine's: the same report reads the
 * same on every laptop. Without colour (a pipe, NO_COLOR) lights are words, so logs and tests can read them.
 */

export interface RenderOptions {
  /** ANSI colours; the lights become words ("[green]") without them. */
  readonly color: boolean;
}

type Colors = ReturnType<typeof createColors>;

const LABELS = KPI_LABELS;

/** Rows shown of long lists; the JSON output has all of them. */
const MAX_IMPEDIMENT_ROWS = 10;

export function renderText(report: MetricsReport, options: RenderOptions): string {
  const c = createColors(options.color);
  const zone = report.team.timeZone;
  const out: string[] = [];
  out.push(...header(report, c));
  out.push('');
  const lights = kpiLights(report);
  const width = Math.max(...Object.values(LABELS).map((l) => l.length));
  for (const [key, line] of Object.entries(kpiSummaries(report)) as [KpiKey, string][]) {
    out.push(`${lightMark(lights[key], c)} ${LABELS[key].padEnd(width)}  ${line}`);
  }
  const sections = [
    velocitySection(report, c),
    goalSection(report, c),
    impedimentSection(report, c, zone),
    burndownSection(report, c),
    backlogSection(report, c),
    releaseSection(report, c, zone),
    outcomesSection(report, c),
  ];
  for (const s of sections) out.push('', ...s);
  out.push('', warningsLine(report, c));
  return `${out.join('\n')}\n`;
}

function header(r: MetricsReport, c: Colors): string[] {
  const zone = r.team.timeZone;
  const src = r.source;
  const source = src
    ? [src.tracker, src.site, src.board ? `board ${src.board}` : undefined].filter(Boolean).join(', ') + (src.generator ? ` (${src.generator})` : '')
    : 'unknown';
  return [
    `${c.bold(`${r.team.name}`)} ${c.dim(`(${r.team.id})`)} · time zone ${zone} · estimates in ${r.team.estimateUnit}`,
    `as of ${localDateTime(r.asOf, zone)} ${zone} (${r.asOf}) · source: ${source}`,
  ];
}

/** One line per KPI: the value in words, or why there is none (the dashboard's headlines). */
export const kpiSummaries: (r: MetricsReport) => Record<KpiKey, string> = kpiHeadlines;

function velocitySection(r: MetricsReport, c: Colors): string[] {
  const rows = r.velocity.details.sprints.map((s) => [
    s.state === 'active' ? `${s.name} (active)` : s.name,
    num(s.committed.points),
    num(s.completed.points),
    num(s.added.points),
    num(s.removed.points),
    s.state === 'active' ? '—' : num(s.carriedOver.points),
    s.sayDo === null ? '—' : s.sayDo.toFixed(2),
  ]);
  if (!rows.length) return [title(c, 'Velocity per sprint'), '  no started sprint'];
  return [
    title(c, `Velocity per sprint (${r.velocity.unit})`),
    table(c, ['Sprint', 'Committed', 'Completed', 'Added', 'Removed', 'Carried over', 'Say/do'], rows, 'lrrrrrr'),
  ];
}

function goalSection(r: MetricsReport, c: Colors): string[] {
  const sprints = r.sprintGoalRate.details.sprints;
  if (!sprints.length) return [title(c, 'Sprint goals'), '  no closed sprint'];
  const threshold = r.sprintGoalRate.params.inferredThreshold;
  const rows = sprints.map((s) => [s.name, s.outcome, decidedBy(s, threshold), clip(s.goal ?? '—', 48)]);
  return [title(c, 'Sprint goals'), table(c, ['Sprint', 'Outcome', 'Decided by', 'Goal'], rows, 'llll')];
}

/** Which rule decided a goal's outcome, with the figure it read. */
function decidedBy(s: SprintGoalEntry, threshold: number): string {
  switch (s.rule) {
    case 'verdict':
      return `verdict by ${s.verdict?.by ?? '?'}`;
    case 'goal-items':
      return `goal items ${s.goalItems.done}/${s.goalItems.total} done`;
    case 'inferred':
      return s.completionRatio === null
        ? 'inferred: nothing committed'
        : `inferred: say/do ${s.completionRatio.toFixed(2)} ${s.completionRatio >= threshold ? '>=' : '<'} ${threshold}`;
    case 'none':
      return 'no goal';
  }
}

function impedimentSection(r: MetricsReport, c: Colors, zone: string): string[] {
  const open = r.impedimentResolutionTime.details.open;
  if (!open.length) return [title(c, 'Open impediments'), '  none'];
  const rows = open
    .slice(0, MAX_IMPEDIMENT_ROWS)
    .map((i) => [i.key, i.source, localDateTime(i.raisedAt, zone), `${num(i.calendarHours / 24, 1)} d`, num(i.workingHours, 1), clip(i.title, 40)]);
  const more = open.length > MAX_IMPEDIMENT_ROWS ? [`  ... and ${open.length - MAX_IMPEDIMENT_ROWS} more`] : [];
  return [
    title(c, `Open impediments (${open.length}, oldest first)`),
    table(c, ['Item', 'Source', 'Raised', 'Open for', 'Working h', 'Title'], rows, 'lllrrl'),
    ...more,
  ];
}

function burndownSection(r: MetricsReport, c: Colors): string[] {
  const p = r.sprintProgress.value;
  const days = r.sprintProgress.details.days;
  if (!p || days.length === 0) return [title(c, 'Sprint burndown'), `  ${r.sprintProgress.reason ?? 'no active sprint'}`];
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const top = Math.max(...days.flatMap((d) => [d.scope ?? 0, d.ideal, d.remaining ?? 0]), 1);
  const line = (name: string, pick: (d: BurnPoint) => number | null, now: number) =>
    `  ${name.padEnd(10)}${sparkline(days.map(pick), top)}  ${num(now)}`;
  return [
    title(c, `${p.name} burndown (${r.sprintProgress.unit}, ${first.date} to ${last.date}, marks: the start, then each day's end; · = still to come)`),
    line('scope', (d) => d.scope, p.scope),
    line('remaining', (d) => d.remaining, p.remaining),
    line('ideal', (d) => d.ideal, p.idealRemaining),
  ];
}

const BARS = '▁▂▃▄▅▆▇█';

/** One character per value, scaled to `top`; null (a day still to come) is a dot. */
export function sparkline(values: readonly (number | null)[], top: number): string {
  return values
    .map((v) => (v === null ? '·' : BARS[Math.max(0, Math.min(BARS.length - 1, Math.round((v / top) * (BARS.length - 1))))]))
    .join('');
}

function backlogSection(r: MetricsReport, c: Colors): string[] {
  const b = r.backlogHealth;
  const rows = b.details.components.map((k) => [
    k.name,
    k.value === null ? '—' : k.name === 'estimatedShare' || k.name === 'staleShare' ? pct(k.value) : k.name === 'readyDepth' ? `${num(k.value, 1)} sprints` : num(k.value, 2),
    k.score === null ? '—' : num(k.score),
    lightWord(k.light, c),
    k.reason ?? Object.entries(k.thresholds).map(([name, v]) => `${name} ${v}`).join(', '),
  ]);
  const overall = b.value ? `score ${num(b.value.score)}/100 ${lightWord(b.value.light, c)}` : `n/a: ${b.reason ?? ''}`;
  return [title(c, `Backlog health: ${overall}`), table(c, ['Component', 'Value', 'Score', 'Light', 'Thresholds / reason'], rows, 'lrrll')];
}

function releaseSection(r: MetricsReport, c: Colors, zone: string): string[] {
  const releases = r.releasePredictability.details.releases;
  if (!releases.length) return [title(c, 'Releases'), '  none'];
  const basis = r.releasePredictability.params.basis;
  const fig = (x: ReleaseOutcome['planned']) => (basis === 'count' ? String(x.items) : num(x.points));
  const rows = releases.map((x) => [
    x.name,
    x.state === 'released' ? `released ${localDate(x.releasedAt!, zone)}` : 'open',
    x.plannedDate ?? '—',
    fig(x.planned),
    x.state === 'released' ? fig(x.delivered) : '—',
    x.slipDays === null ? '—' : `${signed(x.slipDays)} d`,
    x.forecast?.p50 ?? '—',
    x.forecast?.p85 ?? '—',
    x.forecast?.p95 ?? '—',
    x.state === 'released' ? (x.onTime === null ? '—' : x.onTime ? 'yes' : 'no') : x.forecast?.probabilityOnTime == null ? '—' : `P=${pct(x.forecast.probabilityOnTime)}`,
  ]);
  const unit = basis === 'count' ? 'items' : unitLabel(r.velocity.unit);
  return [
    title(c, `Releases (planned vs delivered in ${unit}; forecast dates for open releases)`),
    table(c, ['Release', 'State', 'Planned date', 'Planned', 'Delivered', 'Slip', 'P50', 'P85', 'P95', 'On time'], rows, 'lllrrrllll'),
  ];
}

/** Months of CSAT and NPS shown; the JSON output has every month, week and release. */
const OUTCOME_MONTHS = 6;

/**
 * Customer outcomes: one sentence each (the dashboard's and the email's words), then CSAT and NPS of the last
 * months with their response counts and 95 % intervals. A team without any outcome data gets one line.
 */
function outcomesSection(r: MetricsReport, c: Colors): string[] {
  const results = [r.customerSatisfaction, r.featureAdoption, r.roi, r.releaseImpact];
  const months = r.customerSatisfaction.details.months;
  if (results.every((x) => x.value === null) && months.length === 0) {
    return [title(c, 'Customer outcomes'), '  none: import survey, usage and benefit data for the board or team (agile-kpi outcomes --help)'];
  }
  const headlines = outcomeHeadlines(r);
  const width = Math.max(...Object.values(OUTCOME_LABELS).map((l) => l.length));
  const lines = (Object.keys(OUTCOME_LABELS) as (keyof typeof OUTCOME_LABELS)[]).map((k) => `  ${OUTCOME_LABELS[k].padEnd(width)}  ${headlines[k]}`);
  if (!months.length) return [title(c, 'Customer outcomes'), ...lines];
  const interval = (i: readonly [number, number], f: (x: number) => string) => `${f(i[0])} to ${f(i[1])}`;
  const rows = months.slice(-OUTCOME_MONTHS).map((m) => [
    m.period,
    m.csat ? pct(m.csat.share) : '—',
    m.csat ? interval(m.csat.interval, pct) : '—',
    m.csat ? num(m.csat.mean, 2) : '—',
    m.csat ? String(m.csat.responses) : '0',
    m.nps ? signed(m.nps.score) : '—',
    m.nps ? interval(m.nps.interval, signed) : '—',
    m.nps ? String(m.nps.responses) : '0',
  ]);
  return [
    title(c, 'Customer outcomes'),
    ...lines,
    '',
    title(c, `CSAT and NPS by month (95 % intervals; the last ${Math.min(months.length, OUTCOME_MONTHS)} of ${months.length})`),
    table(c, ['Month', 'CSAT', 'Interval', 'Mean', 'Ratings', 'NPS', 'Interval', 'Scores'], rows, 'lrrrrrrr'),
  ];
}

function warningsLine(r: MetricsReport, c: Colors): string {
  const warnings = allWarnings(r);
  const hint = 'Run with --format json for the full evidence (items, events, exclusions) and every warning.';
  if (!warnings.length) return `No warnings. ${hint}`;
  const byCode = new Map<string, number>();
  for (const w of warnings) byCode.set(w.code, (byCode.get(w.code) ?? 0) + 1);
  const codes = [...byCode].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([code, n]) => `${code} ${n}`);
  return `${c.yellow(`${warnings.length} warning${warnings.length === 1 ? '' : 's'}`)} (${codes.join(', ')}). ${hint}`;
}

function lightMark(light: TrafficLight | null, c: Colors): string {
  if (!c.isColorSupported) return `[${light ?? 'n/a'}]`.padEnd(7);
  switch (light) {
    case 'green':
      return c.green('●');
    case 'amber':
      return c.yellow('●');
    case 'red':
      return c.red('●');
    default:
      return c.dim('○');
  }
}

function lightWord(light: TrafficLight | null, c: Colors): string {
  if (light === null) return '—';
  if (!c.isColorSupported) return light;
  return light === 'green' ? c.green(`● ${light}`) : light === 'amber' ? c.yellow(`● ${light}`) : c.red(`● ${light}`);
}

function title(c: Colors, text: string): string {
  return c.bold(text);
}

const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '  ', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};

/** A borderless, two-space-indented table; `align` is one letter per column (l / r). */
function table(c: Colors, head: string[], rows: string[][], align: string): string {
  const t = new Table({
    head: head.map((h) => c.dim(h)),
    chars: BORDERLESS,
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0 },
    colAligns: [...align].map((a) => (a === 'r' ? 'right' : 'left')),
  });
  t.push(...rows);
  return t
    .toString()
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n');
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}
