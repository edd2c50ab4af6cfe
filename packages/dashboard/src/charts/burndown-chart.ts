import type { BurnPoint, SprintProgressResult } from '@agile-kpi/core';
import type { EChartsOption } from 'echarts';
import { unitLabel } from '@agile-kpi/presentation';
import { baseOption, categoryAxis, safeTooltip, valueAxis } from './chart-base';
import { type ChartTheme, LIGHT_CHART_THEME } from '@agile-kpi/presentation';

/** The day's label on the axis; the start point shares its date with the first day's end. */
export function burnLabel(p: BurnPoint): string {
  return p.kind === 'start' ? `${p.date} start` : p.date;
}

/**
 * Where the remaining work goes at the current pace: null up to the last sampled day, then a straight line
 * from today's remaining to what the projection leaves at the planned end (scope - projected Completed).
 */
export function projectionLine(progress: SprintProgressResult): (number | null)[] {
  const days = progress.details.days;
  const v = progress.value;
  const today = days.reduce((last, d, i) => (d.kind !== 'future' ? i : last), -1);
  const end = days.length - 1;
  if (!v || v.projectedCompletedAtEnd === null || today < 0 || today === end) return days.map(() => null);
  const atEnd = Math.max(0, Math.round((v.scope - v.projectedCompletedAtEnd) * 100) / 100);
  return days.map((_, i) => (i < today ? null : Math.round((v.remaining + ((atEnd - v.remaining) * (i - today)) / (end - today)) * 100) / 100));
}

/**
 * Burndown and burnup of the sprint: scope (moves with added and removed work), completed, remaining, the
 * ideal line, the projection at the current pace, and today marked.
 */
export function burndownChartOption(progress: SprintProgressResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const days = progress.details.days;
  const unit = unitLabel(progress.unit);
  const labels = days.map(burnLabel);
  const today = days.reduce((last, d, i) => (d.kind !== 'future' ? i : last), -1);
  const line = (id: string, name: string, color: string, data: (number | null)[], dashed = false) => ({
    id,
    name,
    type: 'line' as const,
    data,
    symbolSize: 5,
    connectNulls: false,
    itemStyle: { color },
    lineStyle: { color, width: 2, type: dashed ? ('dashed' as const) : ('solid' as const) },
  });
  return {
    ...baseOption(theme),
    tooltip: { ...safeTooltip(theme, unit), axisPointer: { type: 'line' } },
    xAxis: categoryAxis(theme, labels),
    yAxis: valueAxis(theme, unit, { min: 0 }),
    series: [
      {
        ...line('scope', 'Scope', theme.scope, days.map((d) => d.scope)),
        step: 'end' as const,
        ...(today >= 0 ? { markLine: { silent: true, symbol: 'none', lineStyle: { color: theme.today, type: 'dotted' as const }, label: { color: theme.today, formatter: 'today' }, data: [{ xAxis: labels[today]! }] } } : {}),
      },
      line('completed', 'Completed', theme.average, days.map((d) => d.completed)),
      line('remaining', 'Remaining', theme.remaining, days.map((d) => d.remaining)),
      line('ideal', 'Ideal', theme.ideal, days.map((d) => d.ideal), true),
      line('projection', 'Projection', theme.projection, projectionLine(progress), true),
    ],
  };
}
