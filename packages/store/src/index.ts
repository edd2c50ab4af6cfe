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
export type { AsyncAgileStore, AsyncScopeStore, ExclusiveOptions } from './async-store';
export { asyncSqliteStore } from './async-sqlite-store';
export { isPostgresUrl, openPostgresStore } from './postgres/postgres-store';
export type { OpenPostgresStoreOptions } from './postgres/postgres-store';
