import type { OutcomeSink } from '@agile-kpi/hosted-service';
import type { ScopeStore } from '@agile-kpi/store';
import { putTeamOutcomes } from '../outcomes/scope-outcomes';

/**
 * The settings page's upload (`POST /api/outcomes`) is the hosted service's `uploadOutcomes`, which the Forge app
 * and the Azure DevOps extension answer too; serve keeps the records in its store's scope, or in memory.
 */
export { MAX_UPLOAD_CHARS, memoryOutcomeSink, uploadOutcomes } from '@agile-kpi/hosted-service';
export type { OutcomeSink };

/** The scope's outcome records, as `agile-kpi outcomes import` writes them: in one transaction, by id. */
export function scopeOutcomeSink(scope: Pick<ScopeStore, 'transaction' | 'listOutcomes' | 'putOutcomes'>): OutcomeSink {
  return {
    put: async (kind, records) => putTeamOutcomes(scope, kind, records),
  };
}
