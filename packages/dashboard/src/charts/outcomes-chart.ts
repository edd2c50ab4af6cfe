import type { CustomerSatisfactionResult, FeatureAdoptionResult, FeatureAdoptionRow } from '@agile-kpi/core';
import type { EChartsOption, YAXisComponentOption } from 'echarts';
import { num } from '@agile-kpi/presentation';
import { baseOption, categoryAxis, tooltipFrame, valueAxis } from './chart-base';
import { type ChartTheme, LIGHT_CHART_THEME } from '@agile-kpi/presentation';
import { escapeHtml } from '@agile-kpi/presentation';

/** A percentage for an axis: 0.839 is 83.9. */
const percent = (share: number) => Math.round(share * 1000) / 10;

/** The band of a 95 % interval: an invisible line at its low end and, stacked on it, the width, shaded. */
function band(id: string, name: string, color: string, yAxisIndex: number, lows: readonly (number | null)[], highs: readonly (number | null)[]) {
  const hidden = { type: 'line' as const, stack: `${id}-band`, stackStrategy: 'all' as const, symbol: 'none', silent: true, yAxisIndex, lineStyle: { opacity: 0 } };
  return [
    { ...hidden, id: `${id}-low`, name: `${name} 95% interval`, data: [...lows] },
    { ...hidden, id: `${id}-band`, name: `${name} 95% interval`, areaStyle: { color, opacity: 0.18 }, data: highs.map((h, i) => (h === null || lows[i] === null ? null : Math.round((h - lows[i]!) * 10) / 10)) },
  ];
}

/**
 * Customer satisfaction by month: CSAT (share of ratings 4-5, left axis, %) and NPS (right axis, -100 to 100),
 * each with its 95 % interval shaded behind it. The tooltip gives each month's figures with their intervals and
 * response counts.
 */
export function satisfactionChartOption(result: CustomerSatisfactionResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const months = result.details.months;
  const csatLow = months.map((m) => (m.csat ? percent(m.csat.interval[0]) : null));
  const csatHigh = months.map((m) => (m.csat ? percent(m.csat.interval[1]) : null));
  const npsLow = months.map((m) => m.nps?.interval[0] ?? null);
  const npsHigh = months.map((m) => m.nps?.interval[1] ?? null);
  return {
    ...baseOption(theme),
    legend: { top: 0, textStyle: { color: theme.text }, inactiveColor: theme.grid, data: ['CSAT', 'NPS'] },
    tooltip: {
      trigger: 'axis',
      ...tooltipFrame(theme),
      formatter: (raw: unknown) => {
        const first = (Array.isArray(raw) ? raw[0] : raw) as { dataIndex?: number } | undefined;
        const m = first?.dataIndex === undefined ? undefined : months[first.dataIndex];
        if (!m) return '';
        const csat = m.csat ? `CSAT ${num(m.csat.share * 100)}% (95% interval ${num(m.csat.interval[0] * 100)}–${num(m.csat.interval[1] * 100)}%, ${m.csat.responses} responses)` : 'no CSAT rating';
        const nps = m.nps ? `NPS ${num(m.nps.score)} (95% interval ${num(m.nps.interval[0])} to ${num(m.nps.interval[1])}, ${m.nps.responses} responses)` : 'no NPS score';
        return [`<b>${escapeHtml(m.period)}</b>`, escapeHtml(csat), escapeHtml(nps)].join('<br/>');
      },
    },
    xAxis: categoryAxis(theme, months.map((m) => m.period), 'month'),
    yAxis: [valueAxis(theme, 'CSAT %', { min: 0, max: 100 }) as YAXisComponentOption, valueAxis(theme, 'NPS', { min: -100, max: 100, splitLine: { show: false } }) as YAXisComponentOption],
    series: [
      ...band('csat', 'CSAT', theme.completed, 0, csatLow, csatHigh),
      ...band('nps', 'NPS', theme.added, 1, npsLow, npsHigh),
      { id: 'csat', name: 'CSAT', type: 'line', yAxisIndex: 0, connectNulls: false, itemStyle: { color: theme.completed }, data: months.map((m) => (m.csat ? percent(m.csat.share) : null)) },
      { id: 'nps', name: 'NPS', type: 'line', yAxisIndex: 1, connectNulls: false, itemStyle: { color: theme.added }, data: months.map((m) => m.nps?.score ?? null) },
    ],
  };
}

/** The features the adoption chart draws: those with a curve. */
export function adoptionCurves(result: FeatureAdoptionResult): FeatureAdoptionRow[] {
  return result.details.features.filter((f) => f.curve.length > 0);
}

/**
 * Feature adoption curves: for each feature with usage data, the share of active users who used it (%) by the
 * days since its release, with the adoption target across.
 */
export function adoptionChartOption(result: FeatureAdoptionResult, theme: ChartTheme = LIGHT_CHART_THEME): EChartsOption {
  const features = adoptionCurves(result);
  const palette = [theme.completed, theme.added, theme.average, theme.removed, theme.trend, theme.amber];
  const target = result.params.target;
  return {
    ...baseOption(theme),
    tooltip: {
      trigger: 'item',
      ...tooltipFrame(theme),
      formatter: (raw: unknown) => {
        const p = raw as { seriesName?: string; value?: unknown };
        const [day, adoption] = Array.isArray(p.value) ? (p.value as unknown[]) : [];
        return `<b>${escapeHtml(p.seriesName)}</b><br/>${escapeHtml(`day ${String(day)}: ${String(adoption)}% of active users`)}`;
      },
    },
    xAxis: { type: 'value', name: 'days after release', nameLocation: 'middle', nameGap: 28, nameTextStyle: { color: theme.mutedText }, min: 0, axisLine: { lineStyle: { color: theme.axis } }, axisLabel: { color: theme.text }, splitLine: { show: false } },
    yAxis: valueAxis(theme, '% of active users', { min: 0 }),
    series: features.map((f, i) => ({
      id: `feature-${f.feature}`,
      name: f.feature,
      type: 'line' as const,
      itemStyle: { color: palette[i % palette.length]! },
      data: f.curve.map((c) => [c.day, percent(c.adoption)]),
      ...(i === 0
        ? {
            markLine: {
              silent: true,
              symbol: 'none',
              lineStyle: { color: theme.today, type: 'dashed' as const },
              label: { color: theme.today, formatter: `target ${num(target * 100)}%`, position: 'insideEndTop' as const },
              data: [{ yAxis: percent(target) }],
            },
          }
        : {}),
    })),
  };
}
