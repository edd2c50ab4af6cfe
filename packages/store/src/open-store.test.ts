import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrations, STORE_APPLICATION_ID } from './migrations';
import { openStore } from './open-store';
import { StoreError } from './store-error';

const board = { source: 'jira', site: 'https://acme.atlassian.net', scope: '42' } as const;

/** The StoreError a call throws, so a test can check its exact message and path. */
function storeErrorOf(call: () => unknown): StoreError {
  try {
    call();
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error('expected a StoreError, nothing was thrown');
}

describe('openStore', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agile-kpi-store-open-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('creates a WAL-mode store at the latest schema and keeps what was written across reopening', () => {
    const file = join(dir, 'store.sqlite');
    const store = openStore(file);
    expect(store.file).toBe(file);
    expect(store.schemaVersion).toBe(migrations.length);
    store.scope(board).putDocs('issue', [{ id: '1', version: 'v', body: { key: 'ACME-1' } }]);
    store.scope(board).setState('watermark', '2025-03-01T00:00:00.000Z');
    store.close();
    store.close();

    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(raw.pragma('user_version', { simple: true })).toBe(migrations.length);
      expect(raw.pragma('application_id', { simple: true })).toBe(STORE_APPLICATION_ID);
    } finally {
      raw.close();
    }

    const again = openStore(file);
    expect(again.scopes()).toEqual([board]);
    expect(again.scope(board).getDoc('issue', '1')).toEqual({ id: '1', version: 'v', body: { key: 'ACME-1' } });
    expect(again.scope(board).getState('watermark')).toBe('2025-03-01T00:00:00.000Z');
    again.close();
  });

  it('resolves a relative path', () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const store = openStore('relative.sqlite');
      expect(store.file).toBe(join(dir, 'relative.sqlite'));
      store.close();
    } finally {
      process.chdir(cwd);
    }
  });

  it('lets a second connection read what the first committed while it stays open', () => {
    const file = join(dir, 'shared.sqlite');
    const writer = openStore(file);
    const reader = openStore(file, { readonly: true });
    writer.scope(board).putDocs('sprint', [{ id: '7', version: null, body: { state: 'active' } }]);
    expect(reader.scope(board).listDocs('sprint')).toEqual([{ id: '7', version: null, body: { state: 'active' } }]);
    reader.close();
    writer.close();
  });

  it('opens read-only: reads, creates nothing, and refuses writes', () => {
    const file = join(dir, 'store.sqlite');
    const writer = openStore(file);
    writer.scope(board).putDocs('issue', [{ id: '1', version: null, body: 1 }]);
    writer.close();

    const store = openStore(file, { readonly: true });
    expect(store.scope(board).listDocs('issue')).toEqual([{ id: '1', version: null, body: 1 }]);
    const unknown = store.scope({ ...board, scope: '43' });
    expect(unknown.listDocs('issue')).toEqual([]);
    expect(unknown.getState('watermark')).toBeUndefined();
    expect(store.scopes()).toEqual([board]);
    expect(storeErrorOf(() => store.scope(board).putDocs('issue', [])).message).toBe(
      `the store at ${file} is open read-only; open it without readonly to change it`,
    );
    expect(() => unknown.setState('watermark', 'x')).toThrow(StoreError);
    store.close();
  });

  it('refuses calls after close', () => {
    const store = openStore(':memory:');
    const scope = store.scope(board);
    store.close();
    expect(storeErrorOf(() => scope.listDocs('issue')).message).toBe('the store at :memory: is closed; open it again');
    expect(() => store.scopes()).toThrow(StoreError);
  });

  it('creates a missing directory only when asked, readable by its owner only', () => {
    const file = join(dir, 'home', '.agile-kpi', 'store.sqlite');
    const error = storeErrorOf(() => openStore(file));
    expect(error.message).toBe(
      `the directory ${join(dir, 'home', '.agile-kpi')} for the store at ${file} does not exist; create it or pass another --store file`,
    );
    expect(error.file).toBe(file);

    const store = openStore(file, { createDirectory: true });
    expect(statSync(join(dir, 'home', '.agile-kpi')).mode & 0o777).toBe(0o700);
    store.close();
  });

  it('names the path and the fix when the location is unusable', () => {
    const notADirectory = join(dir, 'plain-file');
    writeFileSync(notADirectory, 'x');
    expect(storeErrorOf(() => openStore(join(notADirectory, 'store.sqlite'))).message).toBe(
      `${notADirectory} is not a directory, so the store at ${join(notADirectory, 'store.sqlite')} cannot be there; pass another --store file`,
    );

    const directory = join(dir, 'a-directory');
    mkdirSync(directory);
    expect(storeErrorOf(() => openStore(directory)).message).toBe(
      `${directory} is a directory; pass a file path such as ${directory}/store.sqlite to --store`,
    );

    const missing = join(dir, 'missing.sqlite');
    expect(storeErrorOf(() => openStore(missing, { readonly: true })).message).toBe(
      `there is no store at ${missing} yet; run a sync first or pass another --store file`,
    );
  });

  // Root ignores permission bits, so this can only be checked as an ordinary user.
  const asUser = process.getuid?.() === 0 ? it.skip : it;
  asUser('refuses a directory it cannot write to', () => {
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      expect(storeErrorOf(() => openStore(join(locked, 'store.sqlite'))).message).toBe(
        `the directory ${locked} is not writable, so the store at ${join(locked, 'store.sqlite')} cannot be written; fix its permissions or pass another --store file`,
      );
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  it('refuses a file that is not a SQLite database, and leaves it alone', () => {
    const file = join(dir, 'notes.txt');
    const text = 'these are my notes, not a database\n'.repeat(200);
    writeFileSync(file, text);
    const error = storeErrorOf(() => openStore(file));
    expect(error.message).toBe(`${file} is not an agile-kpi store (not a SQLite database); pass another --store file or move that file away`);
    expect(error.message).not.toContain('\n');
    expect(statSync(file).size).toBe(text.length);
  });

  it("refuses another program's SQLite database instead of adding tables to it", () => {
    const file = join(dir, 'other.sqlite');
    const other = new Database(file);
    other.exec('CREATE TABLE bookmarks (url TEXT)');
    other.close();
    expect(storeErrorOf(() => openStore(file)).message).toBe(
      `${file} is a SQLite database of another program, not an agile-kpi store; pass another --store file`,
    );
    const check = new Database(file, { readonly: true });
    try {
      expect(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all()).toEqual(['bookmarks']);
      expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    } finally {
      check.close();
    }
  });

  it('refuses a store written by a newer agile-kpi', () => {
    const file = join(dir, 'future.sqlite');
    openStore(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 5');
    raw.close();
    expect(storeErrorOf(() => openStore(file)).message).toBe(
      `the store at ${file} was written by a newer agile-kpi (schema 5; this version reads up to ${migrations.length}); upgrade agile-kpi or use another --store file`,
    );
    expect(() => openStore(file, { readonly: true })).toThrow('was written by a newer agile-kpi');
  });

  it('refuses a PostgreSQL url, without showing its password: the synchronous store is SQLite only', () => {
    const open = () => openStore('postgres://kpi:s3cret@db.example:5432/agile');
    expect(open).toThrow(StoreError);
    expect(open).toThrow('openStore cannot open the PostgreSQL store at postgres://kpi:***@db.example:5432/agile: it opens SQLite files');
    let message = '';
    try {
      open();
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).not.toContain('s3cret');
  });
});
