import type { MetricsReport } from '@agile-kpi/core';
import { RESULT_KEYS, type ResultKey } from './traffic-lights';

/**
 * A report in parts, so that a surface that shows one KPI reads only that KPI's evidence: a **summary** (every
 * result's value, unit, reason, params and warnings, without evidence, exclusions or the lists in its details:
 * the KPIs' and the customer outcomes') and each result whole. A gadget's answer is the summary with its own KPI whole: headlines and units of the
 * other KPIs still read, and the bytes stored, read and sent are those of one KPI.
 */
export type KpiResults = Pick<MetricsReport, ResultKey>;

/** The report with every result summarised. */
export function reportSummary(report: MetricsReport): MetricsReport {
  return { ...report, ...(Object.fromEntries(RESULT_KEYS.map((k) => [k, summarise(report[k])])) as KpiResults) };
}

/** The summary with these KPIs whole again. */
export function reportWith(summary: MetricsReport, parts: Partial<KpiResults>): MetricsReport {
  return { ...summary, ...parts };
}

/** What a KPI's result keeps in the summary: all but its evidence, exclusions and the lists in its details. */
function summarise<R extends { readonly evidence: readonly unknown[]; readonly excluded: readonly unknown[]; readonly details: unknown }>(result: R): R {
  return { ...result, evidence: [], excluded: [], details: emptyLists(result.details) };
}

/** The same shape with every array emptied (numbers, strings and objects' other fields kept). */
function emptyLists<T>(value: T): T {
  if (Array.isArray(value)) return [] as unknown as T;
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, emptyLists(v)])) as T;
}
