import { type CustomerOutcomes, type MetricsOptions, type MetricsReport, type OutcomeRecord, type OutcomeSettings, type Snapshot, OUTCOME_KINDS, bindOutcomes, computeMetrics, parseOutcomes } from '@agile-kpi/core';
import type { ScopeStore } from '@agile-kpi/store';
import { CliError } from '../cli-error';
import { readOutcomeSettings } from './outcome-settings';

/** What a team keeps beside its tracker data: its outcome records (imports, service desk ratings) and settings. */
export interface TeamOutcomeData {
  readonly records: readonly OutcomeRecord[];
  readonly settings: OutcomeSettings;
}

/** The scope's outcome records and settings, as the store keeps them. */
export function readTeamOutcomes(scope: Pick<ScopeStore, 'listOutcomes' | 'getState'>): TeamOutcomeData {
  const kinds: readonly string[] = OUTCOME_KINDS;
  const records = scope.listOutcomes(kinds).map((row) => row.body as OutcomeRecord);
  return { records, settings: readOutcomeSettings(scope) };
}

/**
 * Binds a team's records and settings to its snapshot (releases by name, epics by key, days in the team's zone)
 * and checks them as core wants them. A release or epic named by a record or a mapping that the board does not
 * have becomes a warning of the snapshot (`outcome-unresolved`), so every surface shows it beside the figures.
 */
export function bindTeamOutcomes(snapshot: Snapshot, data: TeamOutcomeData, label: string): { snapshot: Snapshot; outcomes: CustomerOutcomes } {
  if (data.records.length === 0 && !data.settings.cost && !data.settings.features?.length) return { snapshot, outcomes: parseOutcomes({}) };
  const { outcomes, unresolved } = bindOutcomes(snapshot, data.records, data.settings);
  let checked: CustomerOutcomes;
  try {
    checked = parseOutcomes(outcomes);
  } catch (err) {
    throw new CliError(`the outcome records of ${label} in the store do not read: ${(err as Error).message}`);
  }
  const warnings = unresolved.map((name) => ({
    code: 'outcome-unresolved',
    message: `the outcome records or settings name ${name}, which ${label} does not have: nothing is counted for it (check the name, or the mapping: agile-kpi outcomes settings)`,
  }));
  return { snapshot: warnings.length ? { ...snapshot, warnings: [...snapshot.warnings, ...warnings] } : snapshot, outcomes: checked };
}

/** Every KPI of a team read from the store, its customer outcomes included. */
export function metricsWithOutcomes(snapshot: Snapshot, scope: Pick<ScopeStore, 'listOutcomes' | 'getState'>, options: MetricsOptions, label: string): MetricsReport {
  const bound = bindTeamOutcomes(snapshot, readTeamOutcomes(scope), label);
  return computeMetrics(bound.snapshot, options, bound.outcomes);
}
