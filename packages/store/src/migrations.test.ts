import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrations, type Migration } from './migrations';
import { openStoreWith } from './open-store';

const board = { source: 'jira', site: 'https://acme.atlassian.net', scope: '42' } as const;
const [firstMigration] = migrations;
if (firstMigration === undefined) throw new Error('no migration 1');

/** A stand-in for a future migration 2: a new table and a column on an existing one, filled from old rows. */
const addSyncRuns: Migration = {
  version: 2,
  description: 'sync runs; a fetched_at column on documents',
  up: (db) => {
    db.exec(`
      CREATE TABLE sync_runs (scope_id INTEGER NOT NULL REFERENCES scopes (scope_id), started_at TEXT NOT NULL);
      ALTER TABLE docs ADD COLUMN fetched_at TEXT;
      UPDATE docs SET fetched_at = 'before migration 2';
    `);
  },
};

function userVersion(file: string): number {
  const raw = new Database(file, { readonly: true });
  try {
    return raw.pragma('user_version', { simple: true }) as number;
  } finally {
    raw.close();
  }
}

describe('migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agile-kpi-store-migrations-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('are numbered 1, 2, 3, ... in order', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(migrations.map((_, index) => index + 1));
  });

  it('bring a version 1 store to version 2, keeping its data', () => {
    const file = join(dir, 'store.sqlite');
    const v1 = openStoreWith(file, {}, [firstMigration]);
    expect(v1.schemaVersion).toBe(1);
    v1.scope(board).putDocs('issue', [{ id: '1', version: 'a', body: { key: 'ACME-1' } }]);
    v1.close();

    const v2 = openStoreWith(file, {}, [firstMigration, addSyncRuns]);
    expect(v2.schemaVersion).toBe(2);
    expect(v2.scope(board).listDocs('issue')).toEqual([{ id: '1', version: 'a', body: { key: 'ACME-1' } }]);
    v2.close();
    expect(userVersion(file)).toBe(2);

    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.prepare('SELECT fetched_at FROM docs').pluck().all()).toEqual(['before migration 2']);
      expect(raw.prepare('SELECT count(*) FROM sync_runs').pluck().get()).toBe(0);
    } finally {
      raw.close();
    }

    // Opening again runs nothing more; version 1 of agile-kpi now refuses the file.
    openStoreWith(file, {}, [firstMigration, addSyncRuns]).close();
    expect(() => openStoreWith(file, {}, [firstMigration])).toThrow(
      `the store at ${file} was written by a newer agile-kpi (schema 2; this version reads up to 1); upgrade agile-kpi or use another --store file`,
    );
  });

  it('leave the store untouched when a migration fails halfway', () => {
    const file = join(dir, 'store.sqlite');
    const v1 = openStoreWith(file, {}, [firstMigration]);
    v1.scope(board).putDocs('issue', [{ id: '1', version: 'a', body: 1 }]);
    v1.close();

    const broken: Migration = {
      version: 2,
      description: 'fails after its first statement',
      up: (db) => {
        db.exec('CREATE TABLE sync_runs (started_at TEXT)');
        throw new Error('migration 2 failed');
      },
    };
    expect(() => openStoreWith(file, {}, [firstMigration, broken])).toThrow('migration 2 failed');
    expect(userVersion(file)).toBe(1);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'sync_runs'").pluck().get()).toBe(0);
    } finally {
      raw.close();
    }
    const again = openStoreWith(file, {}, [firstMigration, addSyncRuns]);
    expect(again.scope(board).countDocs('issue')).toBe(1);
    again.close();
  });

  it('bring a store written before compiled documents forward: its documents are kept, none compiled yet', () => {
    const file = join(dir, 'store.sqlite');
    const v1 = openStoreWith(file, {}, [firstMigration]);
    v1.scope(board).putDocs('issue', [{ id: '1', version: 'a', body: { key: 'ACME-1' } }]);
    v1.close();
    const current = openStoreWith(file, {}, migrations);
    try {
      const scope = current.scope(board);
      expect(scope.listDocs('issue')).toEqual([{ id: '1', version: 'a', body: { key: 'ACME-1' } }]);
      expect(scope.staleCompiled('issue', 'fp')).toEqual(['1']);
      scope.putCompiled('issue', 'fp', [{ id: '1', body: { item: 'ACME-1' } }]);
      expect(scope.listCompiled('issue', 'fp').docs).toEqual([{ id: '1', body: { item: 'ACME-1' } }]);
    } finally {
      current.close();
    }
  });

  it('bring a version 2 store forward with an empty outcomes table, whose records an import adds once', () => {
    const file = join(dir, 'store.sqlite');
    const v2 = openStoreWith(file, {}, migrations.slice(0, 2));
    v2.scope(board).putDocs('issue', [{ id: '1', version: 'a', body: { key: 'ACME-1' } }]);
    v2.close();
    const current = openStoreWith(file, {}, migrations);
    try {
      const scope = current.scope(board);
      expect(scope.listOutcomes()).toEqual([]);
      const rows = [
        { kind: 'csat', id: 'import:abc:2', body: { score: 5 } },
        { kind: 'csat', id: 'import:abc:3', body: { score: 2 } },
        { kind: 'usage', id: 'import:def:2', body: { users: 10 } },
      ];
      expect(scope.putOutcomes(rows)).toBe(3);
      // The same file again changes nothing; a row whose body differs is replaced.
      expect(scope.putOutcomes(rows)).toBe(0);
      expect(scope.putOutcomes([{ ...rows[1]!, body: { score: 3 } }])).toBe(1);
      expect(scope.listOutcomes(['csat'])).toEqual([rows[0], { ...rows[1], body: { score: 3 } }]);
      expect(scope.listOutcomes().map((r) => r.id)).toEqual(['import:abc:2', 'import:abc:3', 'import:def:2']);
      // Another scope sees none of them; clearing the scope's tracker data keeps them.
      expect(current.scope({ ...board, scope: 'other' }).listOutcomes()).toEqual([]);
      scope.clear();
      expect(scope.listOutcomes()).toHaveLength(3);
      expect(scope.listDocs('issue')).toEqual([]);
    } finally {
      current.close();
    }
  });

  it('run all pending steps of a new file in one go', () => {
    const store = openStoreWith(join(dir, 'new.sqlite'), {}, [firstMigration, addSyncRuns]);
    expect(store.schemaVersion).toBe(2);
    store.close();
  });

  it('are not run by a read-only open', () => {
    const file = join(dir, 'store.sqlite');
    openStoreWith(file, {}, [firstMigration]).close();
    expect(() => openStoreWith(file, { readonly: true }, [firstMigration, addSyncRuns])).toThrow(
      `the store at ${file} has schema 1 and needs upgrading to 2; open it once without readonly (run a sync)`,
    );
    expect(userVersion(file)).toBe(1);
  });

  it('must form a list without gaps', () => {
    expect(() => openStoreWith(join(dir, 'x.sqlite'), {}, [firstMigration, { ...addSyncRuns, version: 3 }])).toThrow(
      'migration list is not 1, 2, 3, ...: position 1 has version 3',
    );
  });
});
