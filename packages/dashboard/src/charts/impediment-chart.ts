import type { Impediment, ImpedimentResolutionTimeResult } from '@agile-kpi/core';
import type { EChartsOption } from 'echarts';
import { num } from '@agile-kpi/presentation';
import { baseOption, categoryAxis, safeTooltip, valueAxis } from './chart-base';
import { type ChartTheme, LIGHT_CHART_THEME } from '@agile-kpi/presentation';

export interface ImpedimentBin {
  /** Working hours, from (included) ... */
  readonly from: number;
  /** ... to (excluded). */
  readonly to: number;
  readonly label: string;
  readonly impediments: readonly Impediment[];
}

/** Bin widths in working hours: an hour up to a working week (8 h days, 40 h weeks). */
const WIDTHS = [1, 2, 4, 8, 16, 24, 40, 80, 160, 320];

/**
 * The resolved impediments of the window in equal bins of working hours (about ten bins, on a width a
 * person reads: 4 h, a working day, a working week...).
 */
export function impedimentHistogram(resolved: readonly Impediment[]): ImpedimentBin[] {
  if (resolved.length === 0) return [];
  const max = Math.max(...resolved.map((i) => i.workingHours));
  const width = WIDTHS.find((w) => max / w <= 10) ?? Math.ceil(max / 10);
  const count = Math.floor(max / width) + 1;
  return Array.from({ length: count }, (_, k) => {
    const from = k * width;
    const to = from + width;
    return { from, to, label: `${from}–${to} h`, impediments: resolved.filter((i) => i.workingHours >= from && i.workingHours < to) };
  });
}

/**
 * Impediment resolution chart: how many impediments resolved in the window took how many working hours,
 * with the bins holding the median and the 85th percentile marked (their exact values in the labels).
 */
export function impedimentChartOption(impediments: ImpedimentResolutionTimeResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const bins = impedimentHistogram(impediments.details.resolved);
  const stats = impediments.value?.workingHours ?? null;
  const width = bins[0] ? bins[0].to - bins[0].from : 1;
  const binOf = (hours: number) => bins[Math.min(bins.length - 1, Math.floor(hours / width))]!.label;
  return {
    ...baseOption(theme),
    tooltip: safeTooltip(theme, 'impediments'),
    xAxis: categoryAxis(theme, bins.map((b) => b.label), 'working hours to resolve'),
    yAxis: valueAxis(theme, 'impediments', { minInterval: 1 }),
    series: [
      {
        id: 'resolved',
        name: 'Resolved',
        type: 'bar',
        barCategoryGap: '8%',
        itemStyle: { color: theme.completed },
        data: bins.map((b) => b.impediments.length),
        ...(stats && bins.length
          ? {
              markLine: {
                silent: true,
                symbol: 'none',
                data: [
                  { xAxis: binOf(stats.median), lineStyle: { color: theme.average, type: 'solid', width: 2 }, label: { color: theme.average, formatter: `median ${num(stats.median)} h` } },
                  { xAxis: binOf(stats.p85), lineStyle: { color: theme.trend, type: 'dashed', width: 2 }, label: { color: theme.trend, formatter: `p85 ${num(stats.p85)} h` } },
                ],
              },
            }
          : {}),
      },
    ],
  };
}
