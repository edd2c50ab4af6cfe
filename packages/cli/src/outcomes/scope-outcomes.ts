import { type CustomerOutcomes, type MetricsOptions, type MetricsReport, type OutcomeKind, type OutcomeRecord, type OutcomeSettings, type Snapshot, OUTCOME_KINDS, bindOutcomes, computeMetrics, parseOutcomes } from '@agile-kpi/core';
import type { AsyncScopeStore, ScopeStore } from '@agile-kpi/store';
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
 * Keeps one file's records of a kind in the scope, in one transaction, by id: how many were new and how many
 * replaced a record with the same id (the rest were already there, unchanged). The CLI's import and serve's upload.
 */
export function putTeamOutcomes(
  scope: Pick<ScopeStore, 'transaction' | 'listOutcomes' | 'putOutcomes'>,
  kind: OutcomeKind,
  records: readonly OutcomeRecord[],
): { added: number; replaced: number } {
  return scope.transaction(() => {
    const known = new Set(scope.listOutcomes([kind]).map((r) => r.id));
    const added = records.filter((r) => !known.has(r.id)).length;
    const changed = scope.putOutcomes(records.map((r) => ({ kind: r.kind, id: r.id, body: r })));
    return { added, replaced: changed - added };
  });
}

/** {@link putTeamOutcomes} on either store: PostgreSQL's in one transaction of its own, awaited. */
export async function putTeamOutcomesIn(scope: ScopeStore | AsyncScopeStore, kind: OutcomeKind, records: readonly OutcomeRecord[]): Promise<{ added: number; replaced: number }> {
  if (!('exclusive' in scope)) return putTeamOutcomes(scope, kind, records);
  return scope.transaction(async (tx) => {
    const known = new Set((await tx.listOutcomes([kind])).map((r) => r.id));
    const added = records.filter((r) => !known.has(r.id)).length;
    const changed = await tx.putOutcomes(records.map((r) => ({ kind: r.kind, id: r.id, body: r })));
    return { added, replaced: changed - added };
  });
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
