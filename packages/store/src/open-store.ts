import { accessSync, constants, mkdirSync, statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { AgileStore, ScopeStore, StoreScopeKey } from './agile-store';
import { checkStoreFile, migrate, migrations, type Migration } from './migrations';
import { prepareScopeStatements, SqliteScopeStore, type ScopeStatements } from './scope-store';
import { StoreError, storeErrorFrom } from './store-error';
import { redactUrl } from './postgres/postgres-error';
import { isPostgresUrl } from './postgres/postgres-store';

export interface OpenStoreOptions {
  /** Reads only: no migration, no scope records created; writes throw a `StoreError`. The file must exist. */
  readonly readonly?: boolean;
  /**
   * Creates the store's directory when it is missing. For the default location (`~/.agile-kpi`); a --store
   * path whose directory does not exist is more likely a typo, so by default that fails with a message.
   */
  readonly createDirectory?: boolean;
}

/**
 * How long a writer waits for another agile-kpi (a sync next to `serve`) to release the write lock before
 * giving up with a "busy" StoreError. Syncs commit in batches, so a few seconds covers one batch.
 */
const BUSY_TIMEOUT_MS = 10_000;

/**
 * Opens (creating if needed) the SQLite store at `file`, or ':memory:' for tests and one-shot runs, and
 * migrates it to the current schema. Throws a `StoreError` naming the path and the fix when the file cannot
 * be used: missing or read-only directory, not a SQLite file, another program's database, a newer schema.
 */
export function openStore(file: string, options: OpenStoreOptions = {}): AgileStore {
  return openStoreWith(file, options, migrations);
}

/** `openStore` with another migration list: the seam that lets tests exercise upgrades (not exported from the package). */
export function openStoreWith(file: string, options: OpenStoreOptions, migrationList: readonly Migration[]): AgileStore {
  if (isPostgresUrl(file)) {
    // Otherwise the url would be taken for a file path (and its password shown in the error about its directory).
    const where = redactUrl(file);
    throw new StoreError(
      `openStore cannot open the PostgreSQL store at ${where}: it opens SQLite files, read synchronously; PostgreSQL answers asynchronously only (open it with openPostgresStore)`,
      where,
    );
  }
  const memory = file === ':memory:';
  const path = memory ? file : resolve(file);
  const readonly = options.readonly === true;
  if (!memory) checkLocation(path, readonly, options.createDirectory === true);

  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: readonly, timeout: BUSY_TIMEOUT_MS });
  } catch (error) {
    throw storeErrorFrom(error, path);
  }
  try {
    db.pragma('foreign_keys = ON');
    const found = checkStoreFile(db, path, migrationList);
    let schemaVersion = found;
    if (readonly) {
      if (found < migrationList.length) {
        throw new StoreError(
          `the store at ${path} has schema ${found} and needs upgrading to ${migrationList.length}; open it once without readonly (run a sync)`,
          path,
        );
      }
    } else {
      // WAL: readers (serve) never block the writer (sync), and a commit is one sequential append. With WAL,
      // synchronous=NORMAL can lose the last commits on power loss but never corrupts the file; a sync
      // simply refetches them.
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      schemaVersion = migrate(db, path, migrationList);
    }
    return new SqliteAgileStore(db, path, schemaVersion);
  } catch (error) {
    db.close();
    throw storeErrorFrom(error, path);
  }
}

/**
 * SQLite reports all of these as "unable to open database file", or only at the first write; checking the
 * location first lets the message say which one it is.
 */
function checkLocation(path: string, readonly: boolean, createDirectory: boolean): void {
  const directory = dirname(path);
  let directoryStats = statOrUndefined(directory);
  if (directoryStats === undefined && createDirectory && !readonly) {
    try {
      // Owner only: the store holds a copy of the tracker's issues.
      mkdirSync(directory, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw new StoreError(
        `cannot create the directory ${directory} for the store at ${path}; create it yourself or pass another --store file`,
        path,
        { cause: error },
      );
    }
    directoryStats = statOrUndefined(directory);
  }
  if (directoryStats === undefined) {
    throw new StoreError(
      `the directory ${directory} for the store at ${path} does not exist; create it or pass another --store file`,
      path,
    );
  }
  if (!directoryStats.isDirectory()) {
    throw new StoreError(`${directory} is not a directory, so the store at ${path} cannot be there; pass another --store file`, path);
  }

  const fileStats = statOrUndefined(path);
  if (fileStats?.isDirectory() === true) {
    throw new StoreError(`${path} is a directory; pass a file path such as ${path}/store.sqlite to --store`, path);
  }
  if (readonly) {
    if (fileStats === undefined) {
      throw new StoreError(`there is no store at ${path} yet; run a sync first or pass another --store file`, path);
    }
    if (!accessible(path, constants.R_OK)) {
      throw new StoreError(`the store at ${path} is not readable; check its permissions or pass another --store file`, path);
    }
    return;
  }
  // Even for an existing file: WAL mode creates the -wal and -shm files next to it.
  if (!accessible(directory, constants.W_OK | constants.X_OK)) {
    throw new StoreError(
      `the directory ${directory} is not writable, so the store at ${path} cannot be written; fix its permissions or pass another --store file`,
      path,
    );
  }
  if (fileStats !== undefined && !accessible(path, constants.R_OK | constants.W_OK)) {
    throw new StoreError(`the store at ${path} is not writable; fix its permissions or pass another --store file`, path);
  }
}

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function accessible(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

const scopeKeyFields = ['source', 'site', 'scope'] as const;

/** The database behind each store `openStore` made: the asynchronous adapter runs transactions across awaits on it. */
const databases = new WeakMap<AgileStore, Database.Database>();

/** The SQLite database of a store `openStore` made (undefined for any other `AgileStore`). Not exported from the package. */
export function sqliteDatabaseOf(store: AgileStore): Database.Database | undefined {
  return databases.get(store);
}

class SqliteAgileStore implements AgileStore {
  private readonly statements: ScopeStatements;
  private readonly findScope: Database.Statement<[string, string, string], number>;
  private readonly insertScope: Database.Statement<[string, string, string]>;
  private readonly listScopes: Database.Statement<[], StoreScopeKey>;
  /** One ScopeStore per key, keyed by its JSON; only for recorded scopes. */
  private readonly scopeStores = new Map<string, ScopeStore>();

  constructor(
    private readonly db: Database.Database,
    readonly file: string,
    readonly schemaVersion: number,
  ) {
    databases.set(this, db);
    this.statements = prepareScopeStatements(db);
    this.findScope = db
      .prepare<[string, string, string], number>('SELECT scope_id FROM scopes WHERE source = ? AND site = ? AND scope = ?')
      .pluck();
    this.insertScope = db.prepare('INSERT INTO scopes (source, site, scope) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    this.listScopes = db.prepare('SELECT source, site, scope FROM scopes ORDER BY source, site, scope');
  }

  scope(key: StoreScopeKey): ScopeStore {
    this.checkOpen();
    for (const field of scopeKeyFields) {
      if (typeof key[field] !== 'string' || key[field] === '') {
        throw new StoreError(`a store scope needs a non-empty ${field}, got ${JSON.stringify(key[field])}`, this.file);
      }
    }
    const frozen: StoreScopeKey = Object.freeze({ source: key.source, site: key.site, scope: key.scope });
    const cacheKey = JSON.stringify([frozen.source, frozen.site, frozen.scope]);
    const cached = this.scopeStores.get(cacheKey);
    if (cached !== undefined) return cached;
    try {
      let scopeId = this.findScope.get(frozen.source, frozen.site, frozen.scope);
      if (scopeId === undefined && !this.db.readonly) {
        this.insertScope.run(frozen.source, frozen.site, frozen.scope);
        scopeId = this.findScope.get(frozen.source, frozen.site, frozen.scope);
      }
      const store = new SqliteScopeStore(frozen, this.db, this.statements, scopeId ?? null, this.file);
      if (scopeId !== undefined) this.scopeStores.set(cacheKey, store);
      return store;
    } catch (error) {
      throw storeErrorFrom(error, this.file);
    }
  }

  scopes(): StoreScopeKey[] {
    this.checkOpen();
    try {
      return this.listScopes.all().map((row) => Object.freeze({ source: row.source, site: row.site, scope: row.scope }));
    } catch (error) {
      throw storeErrorFrom(error, this.file);
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private checkOpen(): void {
    if (!this.db.open) throw new StoreError(`the store at ${this.file} is closed; open it again`, this.file);
  }
}
