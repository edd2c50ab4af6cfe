import type { EChartsOption } from 'echarts';

type EChartsLib = typeof import('echarts');

// In Node, `echarts` resolves to its CommonJS build (all charts, SSR included). It is loaded on the first
// chart, not with this package: the CLI imports the package for its traffic lights and should not pay for it.
declare const require: (id: 'echarts') => EChartsLib;
let lib: EChartsLib | undefined;

export interface SvgSize {
  readonly width: number;
  readonly height: number;
}

/**
 * A chart as an SVG document, rendered in Node without a browser (ECharts' server-side rendering): what the
 * emailed health report embeds, drawn by the same option builders as the dashboard. No animation, no
 * tooltips (a picture cannot hover). Node only: a browser draws charts with the `EChart` component.
 *
 * @example renderChartSvg(velocityChartOption(report.velocity), { width: 640, height: 320 }) // '<svg ...'
 */
export function renderChartSvg(option: EChartsOption, size: SvgSize): string {
  if (!(size.width > 0 && size.height > 0)) throw new RangeError('renderChartSvg: width and height must be positive numbers of pixels, e.g. { width: 640, height: 320 }');
  lib ??= require('echarts');
  const chart = lib.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(singleQuotedFonts({ ...option, animation: false, tooltip: { show: false } }) as EChartsOption);
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/**
 * ECharts' SVG renderer writes a font list into a double-quoted `style` attribute without escaping it, so
 * `"Segoe UI"` would end the attribute and leave an SVG no parser accepts: quote font names singly.
 */
function singleQuotedFonts(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(singleQuotedFonts);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'fontFamily' && typeof v === 'string' ? v.replace(/"/g, "'") : singleQuotedFonts(v);
  return out;
}
