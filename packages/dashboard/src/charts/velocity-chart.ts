import type { VelocityResult } from '@agile-kpi/core';
import type { EChartsOption } from 'echarts';
import { unitLabel } from '@agile-kpi/presentation';
import { baseOption, categoryAxis, safeTooltip, valueAxis } from './chart-base';
import { type ChartTheme, LIGHT_CHART_THEME } from '@agile-kpi/presentation';

/** Series ids of the velocity chart, in the order drawn; a click on a bar names one of these. */
export const VELOCITY_SERIES = ['committed', 'completed', 'added', 'removed', 'trend'] as const;
export type VelocitySeriesId = (typeof VELOCITY_SERIES)[number];

/** The sprint's label on the axis: its name, marked when it is still running. */
export function sprintLabel(s: { readonly name: string; readonly state: 'closed' | 'active' }): string {
  return s.state === 'active' ? `${s.name} (active)` : s.name;
}

/**
 * Least-squares line through the closed sprints' Completed, as the velocity's `trend` (its slope) reads it:
 * one value per shown sprint, null for the active one.
 */
export function velocityTrendLine(velocity: VelocityResult): (number | null)[] {
  const sprints = velocity.details.sprints;
  const closed = sprints.filter((s) => s.state === 'closed').map((s) => s.completed.points);
  const slope = velocity.value?.trend;
  if (slope == null || closed.length < 2) return sprints.map(() => null);
  const meanX = (closed.length - 1) / 2;
  const meanY = closed.reduce((a, b) => a + b, 0) / closed.length;
  const intercept = meanY - slope * meanX;
  return sprints.map((s, i) => (s.state === 'closed' ? Math.round((intercept + slope * i) * 100) / 100 : null));
}

/**
 * Velocity chart: Committed beside Completed per sprint, the scope added and removed stacked beside them, the
 * team velocity (mean Completed of the last N closed sprints) as a line across, and the trend.
 */
export function velocityChartOption(velocity: VelocityResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const sprints = velocity.details.sprints;
  const unit = unitLabel(velocity.unit);
  const v = velocity.value;
  return {
    ...baseOption(theme),
    color: [theme.committed, theme.completed, theme.added, theme.removed, theme.trend],
    tooltip: safeTooltip(theme, unit),
    xAxis: categoryAxis(theme, sprints.map(sprintLabel)),
    yAxis: valueAxis(theme, unit),
    series: [
      { id: 'committed', name: 'Committed', type: 'bar', data: sprints.map((s) => s.committed.points), itemStyle: { color: theme.committed } },
      {
        id: 'completed',
        name: 'Completed',
        type: 'bar',
        data: sprints.map((s) => s.completed.points),
        itemStyle: { color: theme.completed },
        ...(v
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { color: theme.average, type: 'solid', width: 2 },
                label: { color: theme.average, formatter: `velocity ${v.velocity}`, position: 'insideEndTop' },
                data: [{ yAxis: v.velocity, name: 'Velocity' }],
              },
            }
          : {}),
      },
      { id: 'added', name: 'Added', type: 'bar', stack: 'scope-change', data: sprints.map((s) => s.added.points), itemStyle: { color: theme.added } },
      { id: 'removed', name: 'Removed', type: 'bar', stack: 'scope-change', data: sprints.map((s) => s.removed.points), itemStyle: { color: theme.removed } },
      {
        id: 'trend',
        name: 'Trend',
        type: 'line',
        data: velocityTrendLine(velocity),
        symbol: 'none',
        lineStyle: { color: theme.trend, type: 'dashed', width: 2 },
        itemStyle: { color: theme.trend },
        tooltip: { show: false },
      },
    ],
  };
}
