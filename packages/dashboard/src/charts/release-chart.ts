import type { ReleaseFigure, ReleaseOutcome, ReleasePredictabilityParams, ReleasePredictabilityResult } from '@agile-kpi/core';
import type { EChartsOption } from 'echarts';
import { localDate } from '@agile-kpi/presentation';
import { escapeHtml } from '@agile-kpi/presentation';
import { baseOption, categoryAxis, safeTooltip, valueAxis } from './chart-base';
import { type ChartTheme, LIGHT_CHART_THEME } from '@agile-kpi/presentation';

/** The basis the releases are measured on: `points` (estimates at the baseline) or `count` (items). */
export function releaseBasis(result: ReleasePredictabilityResult): ReleasePredictabilityParams['basis'] {
  return result.params.basis;
}

export function releaseFigure(f: ReleaseFigure, basis: ReleasePredictabilityParams['basis']): number {
  return basis === 'count' ? f.items : f.points;
}

/**
 * Release scope chart: per release, the scope planned at its baseline beside what of it was delivered (for
 * released releases), and the scope added and dropped since, stacked.
 */
export function releaseScopeChartOption(result: ReleasePredictabilityResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const releases = result.details.releases;
  const basis = releaseBasis(result);
  const unit = basis === 'count' ? 'items' : 'pts';
  const fig = (_r: ReleaseOutcome, f: ReleaseFigure) => releaseFigure(f, basis);
  return {
    ...baseOption(theme),
    tooltip: safeTooltip(theme, unit),
    xAxis: categoryAxis(theme, releases.map((r) => (r.state === 'open' ? `${r.name} (open)` : r.name))),
    yAxis: valueAxis(theme, unit),
    series: [
      { id: 'planned', name: 'Planned', type: 'bar', itemStyle: { color: theme.committed }, data: releases.map((r) => fig(r, r.planned)) },
      { id: 'delivered', name: 'Delivered', type: 'bar', itemStyle: { color: theme.completed }, data: releases.map((r) => (r.state === 'released' ? fig(r, r.delivered) : null)) },
      { id: 'added', name: 'Added', type: 'bar', stack: 'change', itemStyle: { color: theme.added }, data: releases.map((r) => fig(r, r.added)) },
      { id: 'dropped', name: 'Dropped', type: 'bar', stack: 'change', itemStyle: { color: theme.removed }, data: releases.map((r) => fig(r, r.dropped)) },
    ],
  };
}

/** Open releases with a forecast, as the forecast chart draws them. */
export function forecastReleases(result: ReleasePredictabilityResult): ReleaseOutcome[] {
  return result.details.releases.filter((r) => r.state === 'open' && r.forecast !== null);
}

/**
 * Release forecast chart: for each open release, the Monte Carlo P50, P85 and P95 dates against its planned
 * date, on a time axis, with today (asOf) marked. Dates are the team's local dates.
 */
export function releaseForecastChartOption(result: ReleasePredictabilityResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const open = forecastReleases(result);
  const names = open.map((r) => r.name);
  const asOfDate = localDate(result.params.asOf, result.params.timeZone);
  const dates = open.flatMap((r) => [r.plannedDate ?? r.latestPlannedDate, r.forecast?.p50, r.forecast?.p95]).filter((d): d is string => typeof d === 'string');
  // From today at least, so that the line marking it is on the axis.
  const min = [asOfDate, ...dates].filter(Boolean).sort()[0];
  const point = (id: string, name: string, color: string, symbol: string, pick: (r: ReleaseOutcome) => string | null | undefined) => ({
    id,
    name,
    type: 'scatter' as const,
    symbol,
    symbolSize: 14,
    itemStyle: { color },
    data: open.map((r) => {
      const d = pick(r);
      return d ? [d, r.name] : null;
    }),
  });
  return {
    ...baseOption(theme),
    grid: { left: 24, right: 32, top: 48, bottom: 40, containLabel: true },
    tooltip: {
      trigger: 'item',
      backgroundColor: theme.tooltipBackground,
      borderColor: theme.grid,
      textStyle: { color: theme.tooltipText, fontFamily: theme.fontFamily },
      formatter: (p: unknown) => {
        const q = p as { seriesName?: string; value?: unknown };
        const [date, release] = Array.isArray(q.value) ? q.value : [];
        return `<b>${escapeHtml(release)}</b><br/>${escapeHtml(q.seriesName)}: ${escapeHtml(date)}`;
      },
    },
    xAxis: {
      type: 'time',
      ...(min ? { min } : {}),
      axisLine: { lineStyle: { color: theme.axis } },
      axisLabel: { color: theme.text, hideOverlap: true },
      splitLine: { show: true, lineStyle: { color: theme.grid } },
    },
    yAxis: { type: 'category', data: names, axisLabel: { color: theme.text }, axisLine: { lineStyle: { color: theme.axis } } },
    series: [
      {
        ...point('planned', 'Planned date', theme.text, 'diamond', (r) => r.plannedDate ?? r.latestPlannedDate),
        ...(asOfDate ? { markLine: { silent: true, symbol: 'none', lineStyle: { color: theme.today, type: 'dotted' as const }, label: { color: theme.today, formatter: 'today' }, data: [{ xAxis: asOfDate }] } } : {}),
      },
      point('p50', 'P50', theme.average, 'circle', (r) => r.forecast?.p50),
      point('p85', 'P85', theme.amber, 'circle', (r) => r.forecast?.p85),
      point('p95', 'P95', theme.red, 'circle', (r) => r.forecast?.p95),
    ],
  };
}
