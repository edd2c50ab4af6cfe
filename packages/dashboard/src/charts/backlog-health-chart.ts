import type { BacklogComponent, BacklogHealthResult, TrafficLight } from '@agile-kpi/core';
import type { EChartsOption } from 'echarts';
import { baseOption, categoryAxis, safeTooltip, valueAxis } from './chart-base';
import { type ChartTheme, LIGHT_CHART_THEME } from '@agile-kpi/presentation';

export const COMPONENT_LABELS: Readonly<Record<BacklogComponent['name'], string>> = {
  readyDepth: 'Ready depth',
  estimatedShare: 'Estimated share',
  staleShare: 'Stale share',
  growth: 'Growth',
};

export function lightColor(theme: ChartTheme, light: TrafficLight | null): string {
  return light === 'green' ? theme.green : light === 'amber' ? theme.amber : light === 'red' ? theme.red : theme.neutral;
}

/**
 * Backlog health chart: each component's score (0-100), coloured by its light, with the overall score's
 * thresholds, as the result publishes them, across.
 */
export function backlogHealthChartOption(backlog: BacklogHealthResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const components = backlog.details.components;
  const t = backlog.params.thresholds.score;
  return {
    ...baseOption(theme),
    legend: { show: false },
    tooltip: safeTooltip(theme, '/ 100'),
    xAxis: categoryAxis(theme, components.map((c) => COMPONENT_LABELS[c.name])),
    yAxis: valueAxis(theme, 'score', { min: 0, max: 100 }),
    series: [
      {
        id: 'score',
        name: 'Score',
        type: 'bar',
        barMaxWidth: 56,
        data: components.map((c) => ({ value: c.score, itemStyle: { color: lightColor(theme, c.light) } })),
        markLine: {
          silent: true,
          symbol: 'none',
          data: [
            { yAxis: t.green, lineStyle: { color: theme.green, type: 'dashed' }, label: { color: theme.green, formatter: `green ${t.green}`, position: 'insideEndTop' } },
            { yAxis: t.amber, lineStyle: { color: theme.amber, type: 'dashed' }, label: { color: theme.amber, formatter: `amber ${t.amber}`, position: 'insideEndTop' } },
          ],
        },
      },
    ],
  };
}
