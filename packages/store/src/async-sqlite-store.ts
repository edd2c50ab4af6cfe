import type { Database } from 'better-sqlite3';
import type { AgileStore, CompiledDoc, CompiledDocs, DateSnapshot, OutcomeRow, ScopeStore, SprintVerdict, StoreScopeKey, StoredDoc } from './agile-store';
import type { AsyncAgileStore, AsyncScopeStore } from './async-store';
import { sqliteDatabaseOf } from './open-store';
import { KeyedSerial, Serial } from './serial';
import { StoreError, storeErrorFrom } from './store-error';

/**
 * The SQLite store behind the asynchronous port, so that code written for PostgreSQL runs on it unchanged (and
 * one contract suite checks both). The adapter owns `store` from then on: calls made on `store` directly while
 * an asynchronous transaction is open would join it.
 *
 * better-sqlite3 has one connection, so a transaction that awaits holds it: every call queues behind the open
 * transaction. `exclusive` keeps out only this process's other syncs of the scope; between processes SQLite's
 * write lock serialises each transaction, not a whole sync.
 */
export function asyncSqliteStore(store: AgileStore): AsyncAgileStore {
  const db = sqliteDatabaseOf(store);
  if (db === undefined) throw new Error('asyncSqliteStore takes a store made by openStore');
  return new AsyncSqliteAgileStore(store, db);
}

class AsyncSqliteAgileStore implements AsyncAgileStore {
  private readonly serial = new Serial();
  private readonly syncs = new KeyedSerial();

  constructor(
    private readonly store: AgileStore,
    private readonly db: Database,
  ) {}

  get file(): string {
    return this.store.file;
  }

  get schemaVersion(): number {
    return this.store.schemaVersion;
  }

  async scope(key: StoreScopeKey): Promise<AsyncScopeStore> {
    const scope = await this.serial.run(() => this.store.scope(key));
    return new AsyncSqliteScopeStore(scope, this.db, (fn) => this.serial.run(fn), this.syncs, 0);
  }

  scopes(): Promise<StoreScopeKey[]> {
    return this.serial.run(() => this.store.scopes());
  }

  async close(): Promise<void> {
    await this.serial.idle();
    this.store.close();
  }
}

type Run = <T>(fn: () => T | Promise<T>) => Promise<T>;

class AsyncSqliteScopeStore implements AsyncScopeStore {
  constructor(
    private readonly scope: ScopeStore,
    private readonly db: Database,
    /** Outside a transaction: queues behind the open one. Inside: runs at once (the caller holds the connection). */
    private readonly run: Run,
    private readonly syncs: KeyedSerial,
    /** 0 outside a transaction, else its nesting depth. */
    private readonly depth: number,
  ) {}

  get key(): StoreScopeKey {
    return this.scope.key;
  }

  putDocs(kind: string, docs: readonly StoredDoc[]): Promise<void> {
    return this.run(() => this.scope.putDocs(kind, docs));
  }
  getDoc(kind: string, id: string): Promise<StoredDoc | undefined> {
    return this.run(() => this.scope.getDoc(kind, id));
  }
  listDocs(kind: string): Promise<StoredDoc[]> {
    return this.run(() => this.scope.listDocs(kind));
  }
  docVersions(kind: string): Promise<Map<string, string | null>> {
    return this.run(() => this.scope.docVersions(kind));
  }
  deleteDocs(kind: string, ids: readonly string[]): Promise<void> {
    return this.run(() => this.scope.deleteDocs(kind, ids));
  }
  moveDocs(from: string, to: string, ids: readonly string[]): Promise<void> {
    return this.run(() => this.scope.moveDocs(from, to, ids));
  }
  replaceDocs(kind: string, docs: readonly StoredDoc[]): Promise<void> {
    return this.run(() => this.scope.replaceDocs(kind, docs));
  }
  countDocs(kind: string): Promise<number> {
    return this.run(() => this.scope.countDocs(kind));
  }
  getState<T = unknown>(name: string): Promise<T | undefined> {
    return this.run(() => this.scope.getState<T>(name));
  }
  setState(name: string, value: unknown): Promise<void> {
    return this.run(() => this.scope.setState(name, value));
  }
  recordSnapshots(kind: string, values: readonly { readonly id: string; readonly field: string; readonly value: unknown }[], takenAt: string): Promise<number> {
    return this.run(() => this.scope.recordSnapshots(kind, values, takenAt));
  }
  snapshots(kind: string): Promise<DateSnapshot[]> {
    return this.run(() => this.scope.snapshots(kind));
  }
  setVerdict(sprintId: string, verdict: SprintVerdict | undefined): Promise<void> {
    return this.run(() => this.scope.setVerdict(sprintId, verdict));
  }
  verdicts(): Promise<Map<string, SprintVerdict>> {
    return this.run(() => this.scope.verdicts());
  }
  clear(): Promise<void> {
    return this.run(() => this.scope.clear());
  }
  getDocs(kind: string, ids: readonly string[]): Promise<StoredDoc[]> {
    return this.run(() => this.scope.getDocs(kind, ids));
  }
  staleCompiled(kind: string, fingerprint: string): Promise<string[]> {
    return this.run(() => this.scope.staleCompiled(kind, fingerprint));
  }
  putCompiled(kind: string, fingerprint: string, docs: readonly CompiledDoc[]): Promise<void> {
    return this.run(() => this.scope.putCompiled(kind, fingerprint, docs));
  }
  listCompiled<R = unknown>(kind: string, fingerprint: string, read?: (body: unknown, id: string) => R): Promise<CompiledDocs<R>> {
    return this.run(() => this.scope.listCompiled<R>(kind, fingerprint, read));
  }
  putOutcomes(rows: readonly OutcomeRow[]): Promise<number> {
    return this.run(() => this.scope.putOutcomes(rows));
  }
  deleteOutcomes(kind: string, ids: readonly string[]): Promise<number> {
    return this.run(() => this.scope.deleteOutcomes(kind, ids));
  }
  listOutcomes(kinds?: readonly string[]): Promise<OutcomeRow[]> {
    return this.run(() => this.scope.listOutcomes(kinds));
  }

  transaction<T>(fn: (tx: AsyncScopeStore) => Promise<T>): Promise<T> {
    return this.run(async () => {
      const depth = this.depth + 1;
      const savepoint = `async_tx_${depth}`;
      // IMMEDIATE for the reason SqliteScopeStore.transaction gives; a read-only store cannot take the write lock.
      this.sql(depth === 1 ? (this.db.readonly ? 'BEGIN' : 'BEGIN IMMEDIATE') : `SAVEPOINT ${savepoint}`);
      const tx = new AsyncSqliteScopeStore(this.scope, this.db, async (call) => call(), this.syncs, depth);
      try {
        const result = await fn(tx);
        this.sql(depth === 1 ? 'COMMIT' : `RELEASE ${savepoint}`);
        return result;
      } catch (error) {
        // SQLite may already have rolled back on its own (a full disk, say): then there is nothing to undo.
        if (this.db.inTransaction) this.sql(depth === 1 ? 'ROLLBACK' : `ROLLBACK TO ${savepoint}; RELEASE ${savepoint}`);
        throw error;
      }
    });
  }

  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.depth > 0) throw new StoreError('exclusive is for a whole sync: call it outside transactions', this.scope.key.scope);
    return this.syncs.run(JSON.stringify([this.key.source, this.key.site, this.key.scope]), fn);
  }

  private sql(text: string): void {
    if (!this.db.open) throw new StoreError(`the store at ${this.db.name} is closed; open it again`, this.db.name);
    try {
      this.db.exec(text);
    } catch (error) {
      throw storeErrorFrom(error, this.db.name);
    }
  }
}
