import type { OutcomeRecord } from '@agile-kpi/core';
import type { OutcomeStore } from '@agile-kpi/hosted-service';
import type { ScopeStore } from '@agile-kpi/store';
import { OUTCOME_SETTINGS_STATE, readOutcomeSettings } from '../outcomes/outcome-settings';
import { putTeamOutcomes } from '../outcomes/scope-outcomes';

/**
 * The settings page's upload (`POST /api/outcomes`) is the hosted service's `uploadOutcomes`, which the Forge app
 * and the Azure DevOps extension answer too, and so are its list of files, their removal and the outcome settings
 * (hosted-service's outcome-data.ts); serve keeps the records and settings in its store's scope, or in memory.
 */
export { MAX_UPLOAD_CHARS, memoryOutcomeSink, outcomeData, removeOutcomeFile, saveOutcomeSettings, uploadOutcomes } from '@agile-kpi/hosted-service';
export type { OutcomeSink, OutcomeStore } from '@agile-kpi/hosted-service';

/**
 * The scope's outcome data as `agile-kpi outcomes` keeps it: records written in one transaction by id (as
 * `outcomes import`), removed by id (as `outcomes remove`), settings in the scope's state (as `outcomes settings`),
 * where `metrics`, `report` and serve's next load read them.
 */
export function scopeOutcomeSink(scope: Pick<ScopeStore, 'transaction' | 'listOutcomes' | 'putOutcomes' | 'deleteOutcomes' | 'getState' | 'setState'>): OutcomeStore {
  return {
    put: async (kind, records) => putTeamOutcomes(scope, kind, records),
    list: async () => scope.listOutcomes().map((row) => row.body as OutcomeRecord),
    remove: async (kind, ids) => scope.deleteOutcomes(kind, ids),
    settings: async () => readOutcomeSettings(scope),
    setSettings: async (settings) => scope.setState(OUTCOME_SETTINGS_STATE, settings),
  };
}
