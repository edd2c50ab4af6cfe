import type { EChartsOption } from 'echarts';
import { useId } from 'react';
import type { ChartTheme } from '@agile-kpi/presentation';
import { type ChartClick, EChart } from './echart';

export interface ChartTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

export interface ChartFigureProps {
  /** Stable id: the figure is `chart-<id>`, its data table `chart-table-<id>`. */
  readonly id: string;
  readonly caption: string;
  /** The accessible summary with the key numbers. */
  readonly summary: string;
  readonly build: (theme: ChartTheme) => EChartsOption;
  readonly table: ChartTable;
  readonly height?: number;
  readonly onItemClick?: (click: ChartClick, chart: HTMLElement) => void;
}

/**
 * A chart with its caption, an accessible summary, and the same data as a table for screen readers
 * (visually hidden: sighted users read the chart and the view's tables).
 */
export function ChartFigure({ id, caption, summary, build, table, height, onItemClick }: ChartFigureProps) {
  const captionId = useId();
  return (
    <figure className="akpi-figure" data-testid={`chart-${id}`} aria-labelledby={captionId}>
      <EChart build={build} label={`${caption}. ${summary}`} testId={`chart-canvas-${id}`} {...(height ? { height } : {})} {...(onItemClick ? { onItemClick } : {})} />
      <figcaption id={captionId} className="akpi-figure__caption">
        {caption}
      </figcaption>
      {/* Hidden by its wrapper: a table is never narrower than its columns, so, hidden itself, it widened the page. */}
      <div className="akpi-visually-hidden">
        <table data-testid={`chart-table-${id}`}>
          <caption>{caption}: the chart’s data</caption>
          <thead>
            <tr>
              {table.columns.map((c) => (
                <th key={c} scope="col">
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, i) => (
              <tr key={i}>
                {row.map((cell, j) =>
                  j === 0 ? (
                    <th key={j} scope="row">
                      {cell ?? '—'}
                    </th>
                  ) : (
                    <td key={j}>{cell ?? '—'}</td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
