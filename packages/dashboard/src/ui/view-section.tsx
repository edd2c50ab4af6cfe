import { type ReactNode, useId } from 'react';
import type { ViewName } from '@agile-kpi/presentation';
import { DrillButton, type DrillRequest } from './drill-down';

/** A KPI view: a labelled region with its heading, stable test id `view-<name>`. */
export function ViewSection({ view, title, children }: { readonly view: ViewName; readonly title: string; readonly children: ReactNode }) {
  const headingId = useId();
  return (
    <section className="akpi-view" aria-labelledby={headingId} data-testid={`view-${view}`}>
      <h2 id={headingId} className="akpi-view__title">
        {title}
      </h2>
      {children}
    </section>
  );
}

export interface FigureEntry {
  readonly label: string;
  readonly value: string;
  /** When set, the value opens the items behind it. */
  readonly drill?: { readonly request: DrillRequest; readonly testId: string; readonly what: string };
}

/** Secondary figures of a KPI as a description list; those with items behind them open their evidence. */
export function FigureList({ figures, testId }: { readonly figures: readonly FigureEntry[]; readonly testId: string }) {
  return (
    <dl className="akpi-figures" data-testid={testId}>
      {figures.map((f) => (
        <div key={f.label} className="akpi-figures__item">
          <dt>{f.label}</dt>
          <dd>
            {f.drill ? (
              <DrillButton request={f.drill.request} testId={f.drill.testId} what={f.drill.what}>
                {f.value}
              </DrillButton>
            ) : (
              f.value
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A table heading and its wrapper that scrolls sideways in a narrow gadget. */
export function DataTable({ caption, testId, head, children }: { readonly caption: string; readonly testId: string; readonly head: readonly string[]; readonly children: ReactNode }) {
  return (
    <div className="akpi-table-scroll">
      <table className="akpi-table" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={h} scope="col" className={i > 0 ? 'akpi-num' : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
