import type { OutcomeStore } from '@agile-kpi/hosted-service';
import { OUTCOME_SETTINGS_STATE } from '../outcomes/outcome-settings';
import { putTeamOutcomesIn, readTeamOutcomes } from '../outcomes/scope-outcomes';
import { type TeamScope, outcomeView } from '../team-store';

/**
 * The settings page's upload (`POST /api/outcomes`) is the hosted service's `uploadOutcomes`, which the Forge app
 * and the Azure DevOps extension answer too, and so are its list of files, their removal and the outcome settings
 * (hosted-service's outcome-data.ts); serve keeps the records and settings in its store's scope, or in memory.
 */
export { MAX_UPLOAD_CHARS, memoryOutcomeSink, outcomeData, removeOutcomeFile, saveOutcomeSettings, uploadOutcomes } from '@agile-kpi/hosted-service';
export type { OutcomeSink, OutcomeStore } from '@agile-kpi/hosted-service';

/**
 * The scope's outcome data as `agile-kpi outcomes` keeps it, on either store: records written in one transaction by
 * id (as `outcomes import`), removed by id (as `outcomes remove`), settings in the scope's state (as `outcomes
 * settings`), where `metrics`, `report` and serve's next load read them. `scope` may be opened on first use (the
 * organisation server's teams); `changed` hears of every change (it drops what was computed from the old data).
 */
export function scopeOutcomeSink(scope: TeamScope | (() => Promise<TeamScope>), changed: () => void = () => {}): OutcomeStore {
  const opened = typeof scope === 'function' ? scope : async () => scope;
  const after = <T>(done: T): T => {
    changed();
    return done;
  };
  const read = async () => readTeamOutcomes(await outcomeView(await opened()));
  return {
    put: async (kind, records) => after(await putTeamOutcomesIn(await opened(), kind, records)),
    list: async () => (await read()).records,
    remove: async (kind, ids) => after(await (await opened()).deleteOutcomes(kind, ids)),
    settings: async () => (await read()).settings,
    setSettings: async (settings) => after(await (await opened()).setState(OUTCOME_SETTINGS_STATE, settings)),
  };
}
