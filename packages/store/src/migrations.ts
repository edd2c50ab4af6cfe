import type { Database } from 'better-sqlite3';
import { StoreError } from './store-error';

/**
 * One step of the schema. Steps are never edited once released: a store written by an older agile-kpi is
 * brought forward by running the steps it has not seen, in order, so a change of schema is a new step
 * appended to `migrations`.
 */
export interface Migration {
  /** The schema version after this step: 1, 2, 3, ... with no gaps. */
  readonly version: number;
  readonly description: string;
  readonly up: (db: Database) => void;
}

/**
 * Marks the file as ours in the SQLite header (`PRAGMA application_id`, 'AKPI'), so a SQLite database of
 * another program passed to --store is refused instead of having our tables added to it.
 */
export const STORE_APPLICATION_ID = 0x414b5049;

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'scopes, documents, state, date snapshots, sprint goal verdicts',
    up: (db) => {
      db.exec(`
        CREATE TABLE scopes (
          scope_id INTEGER PRIMARY KEY,
          source TEXT NOT NULL,
          site TEXT NOT NULL,
          scope TEXT NOT NULL,
          UNIQUE (source, site, scope)
        );

        -- Clustered on the key so listDocs reads in id order without sorting.
        CREATE TABLE docs (
          scope_id INTEGER NOT NULL REFERENCES scopes (scope_id) ON DELETE CASCADE,
          kind TEXT NOT NULL,
          id TEXT NOT NULL,
          version TEXT,
          body TEXT NOT NULL,
          PRIMARY KEY (scope_id, kind, id)
        ) WITHOUT ROWID;
        -- Covering index: docVersions and countDocs never touch the (large) bodies.
        CREATE INDEX docs_versions ON docs (scope_id, kind, id, version);

        CREATE TABLE state (
          scope_id INTEGER NOT NULL REFERENCES scopes (scope_id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (scope_id, name)
        ) WITHOUT ROWID;

        -- seq is the insertion order that breaks ties between snapshots taken at the same instant.
        CREATE TABLE snapshots (
          seq INTEGER PRIMARY KEY,
          scope_id INTEGER NOT NULL REFERENCES scopes (scope_id) ON DELETE CASCADE,
          kind TEXT NOT NULL,
          entity_id TEXT NOT NULL,
          field TEXT NOT NULL,
          value TEXT NOT NULL,
          taken_at TEXT NOT NULL
        );
        CREATE INDEX snapshots_latest ON snapshots (scope_id, kind, entity_id, field, taken_at, seq);
        CREATE INDEX snapshots_timeline ON snapshots (scope_id, kind, taken_at, seq);

        CREATE TABLE verdicts (
          scope_id INTEGER NOT NULL REFERENCES scopes (scope_id) ON DELETE CASCADE,
          sprint_id TEXT NOT NULL,
          outcome TEXT NOT NULL CHECK (outcome IN ('met', 'partly', 'missed')),
          decided_by TEXT NOT NULL,
          decided_at TEXT NOT NULL,
          note TEXT,
          PRIMARY KEY (scope_id, sprint_id)
        ) WITHOUT ROWID;
      `);
      db.pragma(`application_id = ${STORE_APPLICATION_ID}`);
    },
  },
  {
    version: 2,
    description: 'compiled documents: the neutral model each raw document maps to, checked, kept next to it',
    up: (db) => {
      db.exec(`
        -- One raw document's compiled form (a Jira issue's or an Azure DevOps work item's neutral work item,
        -- checked), under the fingerprint of the mapping settings it was compiled with (its SHA-1). checksum is the
        -- SHA-1 of body as written, so a reader can tell the body is still the one that was checked.
        CREATE TABLE compiled (
          scope_id INTEGER NOT NULL REFERENCES scopes (scope_id) ON DELETE CASCADE,
          kind TEXT NOT NULL,
          id TEXT NOT NULL,
          fingerprint TEXT NOT NULL,
          body TEXT NOT NULL,
          checksum BLOB NOT NULL,
          PRIMARY KEY (scope_id, kind, id)
        ) WITHOUT ROWID;
        -- Covering index: finding what is stale never touches the (large) bodies.
        CREATE INDEX compiled_fingerprints ON compiled (scope_id, kind, id, fingerprint);

        -- A raw document that changes or goes takes its compiled form with it, whoever writes it (an upsert
        -- that finds the same body does not update it, so an unchanged document keeps its compiled form).
        CREATE TRIGGER docs_changed_uncompile AFTER UPDATE ON docs BEGIN
          DELETE FROM compiled WHERE scope_id = old.scope_id AND kind = old.kind AND id = old.id;
        END;
        CREATE TRIGGER docs_deleted_uncompile AFTER DELETE ON docs BEGIN
          DELETE FROM compiled WHERE scope_id = old.scope_id AND kind = old.kind AND id = old.id;
        END;
      `);
    },
  },
  {
    version: 3,
    description: 'customer outcomes: survey responses, feature usage and benefits, imported or read from a service desk',
    up: (db) => {
      db.exec(`
        -- One record (a survey response, a day of a feature's usage, a benefit) under a stable id: an imported
        -- file's digest and row ("import:<digest>:<row>"), or the tracker's own ("jsm:request:SUP-12"). Keyed by
        -- that id, so importing the same file again, or reading the same rating again, changes nothing.
        CREATE TABLE outcomes (
          scope_id INTEGER NOT NULL REFERENCES scopes (scope_id) ON DELETE CASCADE,
          kind TEXT NOT NULL,
          id TEXT NOT NULL,
          body TEXT NOT NULL,
          PRIMARY KEY (scope_id, kind, id)
        ) WITHOUT ROWID;
      `);
    },
  },
];

/** A gap or a reordering would make stores of different builds disagree about what version N means. */
function checkMigrationList(list: readonly Migration[]): number {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration list is not 1, 2, 3, ...: position ${index} has version ${migration.version}`);
    }
  });
  return list.length;
}

function readVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Refuses files this build must not touch: another program's SQLite database, or a store written by a newer
 * agile-kpi (its schema may mean things this build does not know). Returns the file's schema version, 0 for
 * a new, empty file. This is the first read of the file, so a file that is not SQLite at all fails here.
 */
export function checkStoreFile(db: Database, file: string, list: readonly Migration[] = migrations): number {
  const latest = checkMigrationList(list);
  const applicationId = db.pragma('application_id', { simple: true }) as number;
  const version = readVersion(db);
  if (applicationId !== STORE_APPLICATION_ID) {
    const objects = db.prepare('SELECT count(*) FROM sqlite_master').pluck().get() as number;
    if (applicationId !== 0 || version !== 0 || objects > 0) {
      throw new StoreError(
        `${file} is a SQLite database of another program, not an agile-kpi store; pass another --store file`,
        file,
      );
    }
  }
  if (version > latest) {
    throw new StoreError(
      `the store at ${file} was written by a newer agile-kpi (schema ${version}; this version reads up to ${latest}); upgrade agile-kpi or use another --store file`,
      file,
    );
  }
  return version;
}

/**
 * Brings the file to the latest schema in one immediate transaction: either every pending step and the new
 * `user_version` are committed, or (on an exception or a crash) none is. The version is re-read inside the
 * transaction because another agile-kpi may have migrated the same file while this one waited for the lock.
 */
export function migrate(db: Database, file: string, list: readonly Migration[] = migrations): number {
  const latest = checkMigrationList(list);
  if (checkStoreFile(db, file, list) === latest) return latest;
  db.transaction(() => {
    const current = checkStoreFile(db, file, list);
    for (const migration of list.slice(current)) {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    }
  }).immediate();
  return latest;
}
