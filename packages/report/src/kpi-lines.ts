import type { MetricsReport, TrafficLight } from '@agile-kpi/core';
import { KPI_KEYS, KPI_LABELS, type KpiKey, VIEW_KPI, type ViewName, localDate, num, opt, unitLabel } from '@agile-kpi/presentation';
import { type EvidenceLink, leadSentences } from './lead-sentences';
import { percent, plural, safeHttpUrl } from './report-format';
import { type KpiSnapshot, type ReportSummary, kpiFigure } from './report-summary';

/** One KPI as the report shows it: light, figure, change since the last report, sentence and links. */
export interface KpiLine {
  readonly key: KpiKey;
  readonly label: string;
  readonly light: TrafficLight | null;
  /** The figure: "35.7 pts", "3 open", "n/a". */
  readonly value: string;
  /** A second line under it: "mean of 3 sprints; say/do 0.79", or why there is no figure. */
  readonly detail: string;
  /** "up 1.2 pts", "unchanged", "new sprint"...; null on a first report. */
  readonly change: string | null;
  /** The light before, when it changed ("was amber"). */
  readonly lightBefore: TrafficLight | null;
  readonly sentence: string;
  /** The items the sentence talks about, linked into the tracker (http(s) only). */
  readonly items: readonly EvidenceLink[];
  /** This KPI's view on the dashboard, when a dashboard URL is configured. */
  readonly dashboardUrl?: string;
}

const KPI_VIEW = Object.fromEntries(Object.entries(VIEW_KPI).map(([view, kpi]) => [kpi, view])) as Record<KpiKey, ViewName>;

/** The seven KPI lines of one team's report, in the dashboard's order. */
export function kpiLines(r: MetricsReport, previous?: ReportSummary, dashboardUrl?: string): KpiLine[] {
  const sentences = leadSentences(r);
  return KPI_KEYS.map((key) => {
    const now = kpiFigure(r, key);
    const before = previous?.kpis[key];
    const { value, detail } = display(r, key);
    const view = dashboardLink(dashboardUrl, KPI_VIEW[key]);
    return {
      key,
      label: KPI_LABELS[key],
      light: now.light,
      value,
      detail,
      change: previous ? changeSince(r, key, now, before) : null,
      lightBefore: before && before.light !== now.light ? before.light : null,
      sentence: sentences[key].text,
      items: sentences[key].items.map((i) => {
        const url = safeHttpUrl(i.url);
        return { key: i.key, ...(url ? { url } : {}), ...(i.title ? { title: i.title } : {}) };
      }),
      ...(view ? { dashboardUrl: view } : {}),
    };
  });
}

/** The dashboard URL with the KPI's view named (`?view=velocity`: the standalone page opens that view). */
export function dashboardLink(base: string | undefined, view: ViewName): string | undefined {
  const safe = safeHttpUrl(base);
  if (!safe) return undefined;
  const u = new URL(safe);
  u.searchParams.set('view', view);
  return u.href;
}

/**
 * The change of a KPI's figure since the previous report, in words. Remaining sprint work compares only within
 * the same sprint ("new sprint" otherwise).
 */
export function changeSince(r: MetricsReport, key: KpiKey, now: KpiSnapshot, before: KpiSnapshot | undefined): string {
  if (!before || before.value === null) return now.value === null ? 'no figure yet' : 'first figure';
  if (now.value === null) return 'no figure now';
  if (key === 'sprintProgress' && before.context !== now.context) return 'new sprint';
  const d = now.value - before.value;
  const unit = unitLabel(r.velocity.unit);
  const dir = d > 0 ? 'up' : 'down';
  const abs = Math.abs(d);
  const points = (shown: string, text: string) => (shown === '0' ? 'unchanged' : text);
  switch (key) {
    case 'velocity':
      return points(num(abs), `${dir} ${num(abs)} ${unit}`);
    case 'sprintGoalRate':
    case 'releasePredictability':
      return points(String(Math.round(abs * 100)), `${dir} ${Math.round(abs * 100)} pp`);
    case 'impedimentResolutionTime':
      return points(String(abs), `${abs} ${d > 0 ? 'more' : 'fewer'} open`);
    case 'sprintProgress':
      return points(num(abs), `${num(abs)} ${unit} ${d > 0 ? 'more' : 'less'} left`);
    case 'backlogHealth':
      return points(num(abs, 0), `${dir} ${num(abs, 0)} points`);
    case 'flow':
      return points(num(abs), `${dir} ${num(abs)} items/week`);
  }
}

function display(r: MetricsReport, key: KpiKey): { value: string; detail: string } {
  const unit = unitLabel(r.velocity.unit);
  const na = (reason: string | undefined) => ({ value: 'n/a', detail: reason ?? 'no value' });
  switch (key) {
    case 'velocity': {
      const v = r.velocity.value;
      return v ? { value: `${num(v.velocity)} ${unit}`, detail: `mean of ${plural(v.sprintsAveraged, 'sprint')}; say/do ${opt(v.sayDo, 2)}` } : na(r.velocity.reason);
    }
    case 'sprintGoalRate': {
      const v = r.sprintGoalRate.value;
      return v ? { value: percent(v.rate), detail: `${v.met} of ${v.met + v.partly + v.missed} goals met` } : na(r.sprintGoalRate.reason);
    }
    case 'impedimentResolutionTime': {
      const v = r.impedimentResolutionTime.value;
      if (!v) return na(r.impedimentResolutionTime.reason);
      return { value: `${v.open} open`, detail: v.workingHours ? `median ${num(v.workingHours.median)} working h to resolve` : 'none resolved in the window' };
    }
    case 'sprintProgress': {
      const v = r.sprintProgress.value;
      return v ? { value: `${num(v.remaining)} ${unit} left`, detail: `${num(v.completed)} of ${num(v.scope)} done in ${v.name}` } : na(r.sprintProgress.reason);
    }
    case 'backlogHealth': {
      const v = r.backlogHealth.value;
      return v ? { value: `${num(v.score, 0)}/100`, detail: v.readyDepth === null ? 'ready depth unknown' : `ready depth ${num(v.readyDepth, 1)} sprints` } : na(r.backlogHealth.reason);
    }
    case 'releasePredictability': {
      const v = r.releasePredictability.value;
      if (!v) return na(r.releasePredictability.reason);
      return v.predictability === null
        ? { value: 'n/a', detail: 'no release shipped yet' }
        : { value: `${percent(v.predictability)} delivered`, detail: `of planned scope, last ${plural(v.releasesConsidered, 'release')}` };
    }
    case 'flow': {
      const v = r.flow.value;
      return v ? { value: `${num(v.throughputPerWeek)} items/week`, detail: v.cycleTimeDays ? `cycle time median ${num(v.cycleTimeDays.median)} d` : 'no cycle time yet' } : na(r.flow.reason);
    }
  }
}

/** "2025-06-09": when the previous report was, in the team's zone. */
export function previousDate(previous: ReportSummary | undefined, zone: string): string | undefined {
  return previous ? localDate(previous.asOf, zone) : undefined;
}
