import type { EChartsOption, TooltipComponentFormatterCallbackParams } from 'echarts';
import { escapeHtml } from '@agile-kpi/presentation';
import type { ChartTheme } from '@agile-kpi/presentation';

/** What a formatter receives for one data point (the part of ECharts' callback params we read). */
interface PointParams {
  readonly seriesName?: string;
  readonly name?: string;
  readonly value?: unknown;
  readonly marker?: unknown;
  readonly data?: unknown;
}

/**
 * The tooltip of every chart: HTML built here, from escaped text only (ECharts inserts tooltip content as
 * HTML, and sprint, release and item names come from the tracker). `extra` adds a line per point (e.g. the
 * outcome of a sprint goal); it returns plain text, escaped here too.
 */
export function safeTooltip(theme: ChartTheme, unit: string, extra?: (p: PointParams) => string | undefined): NonNullable<EChartsOption['tooltip']> {
  return {
    trigger: 'axis',
    axisPointer: { type: 'shadow' },
    backgroundColor: theme.tooltipBackground,
    borderColor: theme.grid,
    textStyle: { color: theme.tooltipText, fontFamily: theme.fontFamily },
    formatter: (raw: TooltipComponentFormatterCallbackParams) => {
      const points = (Array.isArray(raw) ? raw : [raw]) as PointParams[];
      const title = points[0]?.name ?? '';
      const lines = points
        .filter((p) => valueOf(p.value) !== null)
        .map((p) => {
          const marker = typeof p.marker === 'string' && /^<span style="[^"<>]*"><\/span>$/.test(p.marker) ? p.marker : '';
          const more = extra?.(p);
          return `${marker}${escapeHtml(p.seriesName)}: <b>${escapeHtml(formatValue(valueOf(p.value)))}</b>${unit ? ` ${escapeHtml(unit)}` : ''}${more ? ` (${escapeHtml(more)})` : ''}`;
        });
      return [`<b>${escapeHtml(title)}</b>`, ...lines].join('<br/>');
    },
  };
}

function valueOf(v: unknown): number | string | null {
  const x = Array.isArray(v) ? v[v.length - 1] : v;
  return typeof x === 'number' || typeof x === 'string' ? x : null;
}

function formatValue(v: number | string | null): string {
  return typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v ?? '');
}

/** A tooltip's box and text in the theme's colours (its trigger and formatter are the chart's). */
export function tooltipFrame(theme: ChartTheme) {
  return { backgroundColor: theme.tooltipBackground, borderColor: theme.grid, textStyle: { color: theme.tooltipText, fontFamily: theme.fontFamily } };
}

/** Text, axes and grid in the theme's colours. */
export function baseOption(theme: ChartTheme): EChartsOption {
  return {
    backgroundColor: theme.background,
    textStyle: { color: theme.text, fontFamily: theme.fontFamily },
    animationDuration: 300,
    grid: { left: 48, right: 24, top: 48, bottom: 56, containLabel: true },
    legend: { top: 0, textStyle: { color: theme.text }, inactiveColor: theme.grid },
  };
}

export function categoryAxis(theme: ChartTheme, data: readonly string[], name?: string): NonNullable<EChartsOption['xAxis']> {
  return {
    type: 'category',
    data: [...data],
    ...(name ? { name, nameLocation: 'middle', nameGap: 36, nameTextStyle: { color: theme.mutedText } } : {}),
    axisLine: { lineStyle: { color: theme.axis } },
    axisTick: { lineStyle: { color: theme.axis } },
    // Every label, slanted when there are many; only those that would still overlap are hidden.
    axisLabel: { color: theme.text, interval: 0, hideOverlap: true, rotate: data.length > 5 ? 30 : 0 },
  };
}

export function valueAxis(theme: ChartTheme, name?: string, extra: Record<string, unknown> = {}): NonNullable<EChartsOption['yAxis']> {
  return {
    type: 'value',
    ...(name ? { name, nameTextStyle: { color: theme.mutedText } } : {}),
    axisLine: { show: false },
    axisLabel: { color: theme.text },
    splitLine: { lineStyle: { color: theme.grid } },
    ...extra,
  };
}
