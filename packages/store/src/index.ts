export type {
  AgileStore,
  CompiledDoc,
  CompiledDocs,
  DateSnapshot,
  OutcomeRow,
  ScopeStore,
  SprintVerdict,
  StoreScopeKey,
  StoredDoc,
  VerdictOutcome,
} from './agile-store';
export { openStore } from './open-store';
export type { OpenStoreOptions } from './open-store';
export { StoreError } from './store-error';
export { defaultStorePath } from './default-store-path';
