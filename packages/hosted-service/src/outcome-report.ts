import { type MetricsOptions, type MetricsReport, type Snapshot, bindOutcomes, computeMetrics, parseOutcomes } from '@agile-kpi/core';
import { AppError } from './host-error';
import type { TeamOutcomes } from './scope-store';

/**
 * A hosted scope's report with its customer outcomes: the records and settings its uploads stored, bound to the
 * synced board or team (releases by name, epics by key, days in the team's zone). A release or epic they name that
 * the board or team does not have is a warning of the report (`outcome-unresolved`), shown beside the figures, as
 * the CLI shows it.
 */
export function computeWithOutcomes(snapshot: Snapshot, data: TeamOutcomes, options: MetricsOptions, scope: string): MetricsReport {
  if (data.records.length === 0 && !data.settings.cost && !data.settings.features?.length) return computeMetrics(snapshot, options);
  const { outcomes, unresolved } = bindOutcomes(snapshot, data.records, data.settings);
  let checked;
  try {
    checked = parseOutcomes(outcomes);
  } catch (err) {
    throw new AppError('unexpected-shape', `the customer outcome data kept for ${scope} does not read (${(err as Error).message}); upload the survey, usage and benefit files again`);
  }
  const warnings = unresolved.map((name) => ({
    code: 'outcome-unresolved',
    message: `the uploaded outcome data names ${name}, which ${scope} does not have: nothing is counted for it (check the name in the file)`,
  }));
  return computeMetrics(warnings.length ? { ...snapshot, warnings: [...snapshot.warnings, ...warnings] } : snapshot, options, checked);
}
