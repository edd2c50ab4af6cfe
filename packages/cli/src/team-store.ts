import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { type AsyncScopeStore, type ExclusiveOptions, type ScopeStore, type StoreScopeKey, isPostgresUrl, openPostgresStore, openStore } from '@agile-kpi/store';
import { OUTCOME_KINDS } from '@agile-kpi/core';
import { OUTCOME_SETTINGS_STATE } from './outcomes/outcome-settings';

/**
 * A board's or team's scope as `sync` and `metrics` use it: the SQLite store's, whose calls answer at once (and
 * which the sync engines then drive synchronously, as fast as before), or the PostgreSQL store's, whose calls
 * answer Promises. The sync engines and the compiled-items reader take either.
 */
export type TeamScope = ScopeStore | AsyncScopeStore;

export interface OpenedTeamScope {
  readonly scope: TeamScope;
  close(): Promise<void>;
}

/**
 * Opens the store `--store` or AGILE_KPI_STORE names, a SQLite file (its directory made when it is the default
 * one) or a `postgres://user:pass@host:5432/db` url (`?schema=name` picks the schema, default agile_kpi), and the
 * scope `key` in it. Errors name the url without its password.
 */
export async function openTeamScope(storePath: string, defaultStore: boolean, key: StoreScopeKey): Promise<OpenedTeamScope> {
  const store = await openTeamStore(storePath, defaultStore);
  try {
    return { scope: await store.scope(key), close: () => store.close() };
  } catch (err) {
    await store.close();
    throw err;
  }
}

/** A store of many teams (the organisation server's): SQLite or PostgreSQL, each scope as `sync` and `metrics` use it. */
export interface TeamStore {
  scope(key: StoreScopeKey): Promise<TeamScope>;
  scopes(): Promise<StoreScopeKey[]>;
  close(): Promise<void>;
}

/** Opens the store a path or a `postgres://` url names (as {@link openTeamScope}), for many scopes. */
export async function openTeamStore(storePath: string, defaultStore: boolean): Promise<TeamStore> {
  if (isPostgresUrl(storePath)) {
    const { url, schema } = schemaOf(storePath);
    const store = await openPostgresStore(url, schema === undefined ? {} : { schema });
    return { scope: (key) => store.scope(key), scopes: () => store.scopes(), close: () => store.close() };
  }
  if (defaultStore && storePath !== ':memory:') mkdirSync(dirname(storePath), { recursive: true });
  const store = openStore(storePath);
  return { scope: async (key) => store.scope(key), scopes: async () => store.scopes(), close: async () => store.close() };
}

/** The url without its `schema` parameter (pg would pass it on to the server), and the schema it named. */
function schemaOf(storePath: string): { url: string; schema?: string } {
  let parsed: URL;
  try {
    parsed = new URL(storePath);
  } catch {
    return { url: storePath };
  }
  const schema = parsed.searchParams.get('schema');
  if (schema === null) return { url: storePath };
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}

/**
 * Runs a sync holding the scope's sync lock where the store has one (PostgreSQL's advisory lock: two syncs of one
 * board, from any process, never interleave their pages); SQLite's write lock serialises its transactions.
 */
export function exclusively<T>(scope: TeamScope, fn: () => Promise<T>, options: ExclusiveOptions = {}): Promise<T> {
  return 'exclusive' in scope ? scope.exclusive(fn, options) : fn();
}

/** The scope's outcome records and settings, read now, for the synchronous readers of outcomes (`metricsWithOutcomes`). */
export async function outcomeView(scope: TeamScope): Promise<Pick<ScopeStore, 'listOutcomes' | 'getState'>> {
  if (!('exclusive' in scope)) return scope;
  const rows = await scope.listOutcomes(OUTCOME_KINDS);
  const settings = await scope.getState(OUTCOME_SETTINGS_STATE);
  return {
    listOutcomes: (kinds) => (kinds === undefined ? rows : rows.filter((r) => kinds.includes(r.kind))),
    getState: <T>(name: string) => (name === OUTCOME_SETTINGS_STATE ? (settings as T | undefined) : undefined),
  };
}
