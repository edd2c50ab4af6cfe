import type { EChartsOption } from 'echarts';
import { useEffect, useRef, useState } from 'react';
import { type ChartTheme, DARK_CHART_THEME, LIGHT_CHART_THEME, readChartTheme } from '@agile-kpi/presentation';

/** A click on a bar or point: the series' id and the index of the data point. */
export interface ChartClick {
  readonly seriesId: string | undefined;
  readonly dataIndex: number;
  readonly name: string;
}

export interface EChartProps {
  /** Builds the option for the page's current theme (one of the option builders). */
  readonly build: (theme: ChartTheme) => EChartsOption;
  /** The chart's accessible summary: what it shows and its key numbers. */
  readonly label: string;
  readonly testId: string;
  readonly height?: number;
  readonly onItemClick?: (click: ChartClick, chart: HTMLElement) => void;
}

type ChartInstance = {
  setOption(option: EChartsOption, notMerge?: boolean): void;
  resize(): void;
  getWidth(): number;
  getHeight(): number;
  dispose(): void;
  on(event: 'click', handler: (p: { seriesId?: string; dataIndex: number; name: string; componentType?: string }) => void): void;
  on(event: 'finished', handler: () => void): void;
};

/**
 * The chart element's `data-chart-state`: `drawing` from each (re)draw, `finished` once ECharts reports the
 * drawing finished (animations over), so a screenshot or a test can wait for the chart a person would see.
 * No attribute yet: ECharts is still loading.
 */
export const CHART_STATE = 'data-chart-state';

function redraw(el: HTMLElement, draw: () => void): void {
  el.setAttribute(CHART_STATE, 'drawing');
  draw();
}

function currentTheme(el: HTMLElement): ChartTheme {
  const dark = document.documentElement.getAttribute('data-color-mode') === 'dark' || (typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches);
  return readChartTheme(getComputedStyle(el), dark ? DARK_CHART_THEME : LIGHT_CHART_THEME);
}

/** Changes whenever the page's theme may have: the colour scheme, Atlassian's `data-color-mode`, a host's theme styles. */
function useThemeVersion(): number {
  const [version, setVersion] = useState(0);
  useEffect(() => {
    const bump = () => setVersion((v) => v + 1);
    const media = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null;
    media?.addEventListener('change', bump);
    const observer = new MutationObserver(bump);
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-color-mode', 'data-theme', 'class', 'style'] });
    observer.observe(document.head, { childList: true });
    return () => {
      media?.removeEventListener('change', bump);
      observer.disconnect();
    };
  }, []);
  return version;
}

/**
 * An ECharts chart in the page, drawn as SVG in the theme's colours and redrawn when the theme changes.
 * ECharts itself is loaded on first use. The chart is an image to assistive technology, named by `label`;
 * its figures are in the data table beside it and in the buttons of the view.
 */
export function EChart({ build, label, testId, height = 320, onItemClick }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<ChartInstance | null>(null);
  const latest = useRef({ build, onItemClick });
  latest.current = { build, onItemClick };
  const [failed, setFailed] = useState(false);
  const themeVersion = useThemeVersion();

  useEffect(() => {
    let disposed = false;
    let resize: ResizeObserver | undefined;
    import('../charts/echarts-browser.js')
      .then((echarts) => {
        const el = box.current;
        if (disposed || !el) return;
        const instance = echarts.init(el, null, { renderer: 'svg' }) as unknown as ChartInstance;
        chart.current = instance;
        instance.on('finished', () => el.setAttribute(CHART_STATE, 'finished'));
        redraw(el, () => instance.setOption(latest.current.build(currentTheme(el)), true));
        instance.on('click', (p) => {
          if (p.componentType && p.componentType !== 'series') return;
          latest.current.onItemClick?.({ seriesId: p.seriesId, dataIndex: p.dataIndex, name: p.name }, el);
        });
        if (typeof ResizeObserver === 'function') {
          resize = new ResizeObserver(() => {
            if (el.clientWidth !== instance.getWidth() || el.clientHeight !== instance.getHeight()) redraw(el, () => instance.resize());
          });
          resize.observe(el);
        }
      })
      .catch(() => {
        if (!disposed) setFailed(true);
      });
    return () => {
      disposed = true;
      resize?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const el = box.current;
    const instance = chart.current;
    if (instance && el) redraw(el, () => instance.setOption(build(currentTheme(el)), true));
  }, [build, themeVersion]);

  return (
    <div className="akpi-echart-wrap">
      <div
        ref={box}
        className={`akpi-echart${onItemClick ? ' akpi-echart--clickable' : ''}`}
        style={{ height }}
        role="img"
        aria-label={label}
        tabIndex={0}
        data-testid={testId}
      />
      {failed && <p className="akpi-muted">The chart could not be drawn here; the table has the same figures.</p>}
    </div>
  );
}
