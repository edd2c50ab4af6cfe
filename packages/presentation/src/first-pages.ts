import type { MetricsReport } from '@agile-kpi/core';
import { cutReport } from './evidence-pages';
import { kpiHeadlines } from './headlines';
import type { MetricsPayload } from './host';
import { RESULT_KEYS, type ResultKey } from './traffic-lights';

/** A report as a hosted surface answers it: cut to first pages, with where the rest is and the cut KPIs' headlines. */
export type FirstPages = Pick<MetricsPayload, 'report' | 'evidencePages' | 'headlines'>;

/**
 * The report as a gadget or a hub page gets it: the results `kpis` with their long evidence lists cut to their first
 * page ({@link cutReport}), the `evidencePages` that say where the rest is, and the `headlines` of the KPIs cut,
 * worked out before the cut: a "why" reads the evidence, so the first pages alone would say another one. A KPI's
 * sentence reads only its own result, so `report` may be a summary with the KPIs asked for whole. Nothing cut: the
 * report alone, neither pages nor headlines.
 *
 * @example firstPages({ ...report, backlogHealth: { ...report.backlogHealth, evidence: thousandRows } }, stamp, ['backlogHealth']).evidencePages?.backlogHealth?.[0]?.total // 1000 (200 of them in the report)
 */
export function firstPages(report: MetricsReport, stamp: string, kpis: readonly ResultKey[] = RESULT_KEYS): FirstPages {
  const cut = cutReport(report, stamp, kpis);
  const paged = Object.keys(cut.pages) as ResultKey[];
  if (!paged.length) return { report: cut.report };
  const sentences: Partial<Record<ResultKey, string>> = kpiHeadlines(report);
  const headlines = Object.fromEntries(paged.flatMap((k) => (sentences[k] !== undefined ? [[k, sentences[k]]] : [])));
  return { report: cut.report, evidencePages: cut.pages, headlines };
}
