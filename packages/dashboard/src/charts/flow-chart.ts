import type { AgingItem, FlowResult } from '@agile-kpi/core';
import type { EChartsOption } from 'echarts';
import { num } from '@agile-kpi/presentation';
import { baseOption, categoryAxis, safeTooltip, valueAxis } from './chart-base';
import { type ChartTheme, LIGHT_CHART_THEME } from '@agile-kpi/presentation';

/**
 * Throughput chart: items finished per week over the window (ISO weeks in the team's zone), the current,
 * incomplete week beside in a lighter shade, and the mean of the complete weeks across.
 */
export function throughputChartOption(flow: FlowResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const { weeks, currentWeek } = flow.details;
  const mean = flow.value?.throughputPerWeek ?? null;
  return {
    ...baseOption(theme),
    legend: { show: false },
    tooltip: safeTooltip(theme, 'items'),
    xAxis: categoryAxis(theme, [...weeks.map((w) => w.week), `${currentWeek.week} (so far)`], 'week starting'),
    yAxis: valueAxis(theme, 'items', { minInterval: 1 }),
    series: [
      {
        id: 'finished',
        name: 'Finished',
        type: 'bar',
        itemStyle: { color: theme.completed },
        data: [...weeks.map((w) => w.finished), { value: currentWeek.finished, itemStyle: { color: theme.completed, opacity: 0.45 } }],
        ...(mean !== null
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                lineStyle: { color: theme.average, width: 2 },
                label: { color: theme.average, formatter: `mean ${num(mean, 2)}/week`, position: 'insideEndTop' },
                data: [{ yAxis: mean }],
              },
            }
          : {}),
      },
    ],
  };
}

export function bandColor(theme: ChartTheme, band: AgingItem['band']): string {
  return band === 'within-p50' ? theme.green : band === 'p50-p85' ? theme.amber : band === 'above-p85' ? theme.red : theme.neutral;
}

/**
 * Aging WIP chart: each item in progress by its age since it started (oldest first), coloured against the
 * cycle-time percentiles, with the median and the 85th percentile across.
 */
export function agingWipChartOption(flow: FlowResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const aging = flow.details.aging;
  const cycle = flow.value?.cycleTimeDays ?? null;
  return {
    ...baseOption(theme),
    legend: { show: false },
    tooltip: safeTooltip(theme, 'days'),
    xAxis: categoryAxis(theme, aging.map((a) => a.key)),
    // Tall enough for the p85 line even when every item is younger.
    yAxis: valueAxis(theme, 'days in progress', { min: 0, ...(cycle ? { max: Math.ceil(Math.max(cycle.p85, ...aging.map((a) => a.ageDays)) * 1.1) } : {}) }),
    series: [
      {
        id: 'age',
        name: 'Age',
        type: 'bar',
        barMaxWidth: 40,
        data: aging.map((a) => ({ value: a.ageDays, itemStyle: { color: bandColor(theme, a.band) } })),
        ...(cycle
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                data: [
                  { yAxis: cycle.median, lineStyle: { color: theme.green, type: 'dashed' }, label: { color: theme.green, formatter: `cycle time median ${num(cycle.median)} d`, position: 'insideEndTop' } },
                  { yAxis: cycle.p85, lineStyle: { color: theme.red, type: 'dashed' }, label: { color: theme.red, formatter: `p85 ${num(cycle.p85)} d`, position: 'insideEndTop' } },
                ],
              },
            }
          : {}),
      },
    ],
  };
}
