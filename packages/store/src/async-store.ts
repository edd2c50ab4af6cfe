import type { CompiledDoc, CompiledDocs, DateSnapshot, OutcomeRow, SprintVerdict, StoreScopeKey, StoredDoc } from './agile-store';

/**
 * The store port with a driver that answers asynchronously (PostgreSQL through `pg`): the same methods as
 * `AgileStore` and `ScopeStore`, with the same meaning, each answering a Promise. The embedded SQLite store
 * offers it too (`asyncSqliteStore`), so that one contract suite holds both to the same behaviour.
 *
 * Two differences follow from asynchrony. `transaction` hands `fn` the scope bound to the transaction, and only
 * calls on that scope belong to it (a connection pool has no "current" transaction). And `exclusive` is new:
 * a sync of one board runs many transactions (one per page), and two syncs of the same board must not interleave
 * them, even from two processes.
 */
export interface AsyncAgileStore {
  /** What was opened, for messages: the SQLite file, or the PostgreSQL url without its password. */
  readonly file: string;
  /** Schema version after migrations. */
  readonly schemaVersion: number;
  scope(key: StoreScopeKey): Promise<AsyncScopeStore>;
  scopes(): Promise<StoreScopeKey[]>;
  /** Idempotent; waits for the calls under way. Any later call throws a `StoreError`. */
  close(): Promise<void>;
}

/** How long {@link AsyncScopeStore.exclusive} waits for the lock, and what holds it (for the message when the wait fails). */
export interface ExclusiveOptions {
  readonly waitMs?: number;
  /** What holds the lock, as the failed wait says it ("another <holder> is running"); default: a sync of the scope. */
  readonly holder?: string;
}

export interface AsyncScopeStore {
  readonly key: StoreScopeKey;
  putDocs(kind: string, docs: readonly StoredDoc[]): Promise<void>;
  getDoc(kind: string, id: string): Promise<StoredDoc | undefined>;
  listDocs(kind: string): Promise<StoredDoc[]>;
  docVersions(kind: string): Promise<Map<string, string | null>>;
  deleteDocs(kind: string, ids: readonly string[]): Promise<void>;
  moveDocs(from: string, to: string, ids: readonly string[]): Promise<void>;
  replaceDocs(kind: string, docs: readonly StoredDoc[]): Promise<void>;
  countDocs(kind: string): Promise<number>;
  getState<T = unknown>(name: string): Promise<T | undefined>;
  setState(name: string, value: unknown): Promise<void>;
  recordSnapshots(
    kind: string,
    values: readonly { readonly id: string; readonly field: string; readonly value: unknown }[],
    takenAt: string,
  ): Promise<number>;
  snapshots(kind: string): Promise<DateSnapshot[]>;
  setVerdict(sprintId: string, verdict: SprintVerdict | undefined): Promise<void>;
  verdicts(): Promise<Map<string, SprintVerdict>>;
  /**
   * Runs `fn` in one transaction: nothing it writes through `tx` is visible to others, or survives a crash,
   * until the outermost call returns. `tx.transaction` nests as a savepoint (an inner failure that `fn` catches
   * undoes only the inner writes). An exception rolls back and is rethrown. Await each call on `tx` before the
   * next: a transaction is one conversation with the database.
   */
  transaction<T>(fn: (tx: AsyncScopeStore) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the scope's sync lock: a second `exclusive` on the same scope, from this process or
   * another one on the same database, waits until `fn` settles (or fails after `waitMs`, default 10 minutes, with
   * a `StoreError` saying that another sync of the scope is running, or what `holder` names). The lock goes with
   * the process: a sync killed while holding it does not block the next one.
   */
  exclusive<T>(fn: () => Promise<T>, options?: ExclusiveOptions): Promise<T>;
  clear(): Promise<void>;
  getDocs(kind: string, ids: readonly string[]): Promise<StoredDoc[]>;
  staleCompiled(kind: string, fingerprint: string): Promise<string[]>;
  putCompiled(kind: string, fingerprint: string, docs: readonly CompiledDoc[]): Promise<void>;
  listCompiled<R = unknown>(kind: string, fingerprint: string, read?: (body: unknown, id: string) => R): Promise<CompiledDocs<R>>;
  putOutcomes(rows: readonly OutcomeRow[]): Promise<number>;
  listOutcomes(kinds?: readonly string[]): Promise<OutcomeRow[]>;
  deleteOutcomes(kind: string, ids: readonly string[]): Promise<number>;
}
