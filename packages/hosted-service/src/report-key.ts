import { METRIC_OPTIONS, type MetricWithOptions, type MetricsOptions, canonicalJson, resolveMetricOptions } from '@agile-kpi/core';
import { type DashboardConfig, metricsOptionsOf } from '@agile-kpi/presentation';

const METRICS: readonly MetricWithOptions[] = [...new Set(METRIC_OPTIONS.map((d) => d.metric))];

/**
 * Every metric's options as core reads them: each metric's schema fills in its defaults, so options left out and
 * options set to their default are the same options. Throws core's MetricOptionError for a value out of range.
 */
export function normalisedOptions(options: MetricsOptions): Record<string, unknown> {
  const given = options as Readonly<Record<string, unknown>>;
  const out: Record<string, unknown> = {};
  for (const metric of METRICS) out[metric] = resolveMetricOptions(metric, given[metric] ?? {});
  // Options of metrics without a schema still change the numbers: they are kept as they are.
  for (const [metric, value] of Object.entries(given)) if (!(metric in out) && value !== undefined) out[metric] = value;
  return out;
}

/**
 * The key a report is cached under for a set of metric options and the zone its days are read in: the canonical
 * JSON of the options normalised through core's schema. Nothing lists the options by hand, so an option added to
 * the schema (or to what a configuration sets) changes the key, and a report computed with another value is never
 * served. The store keeps it hashed; a cached entry also records the data version it was computed from.
 */
export function metricOptionsKey(options: MetricsOptions, zone: string | null): string {
  return canonicalJson([normalisedOptions(options), zone]);
}

/**
 * A configuration's report key: what the metrics read from it ({@link metricsOptionsOf}) and the zone. Gadgets or
 * widgets showing different views with the same settings share one cached report.
 */
export function reportOptionsKey(config: DashboardConfig, zone: string | null): string {
  return metricOptionsKey(metricsOptionsOf(config), zone);
}
