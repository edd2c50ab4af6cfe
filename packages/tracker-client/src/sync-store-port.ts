/** A store's answer: at once from a synchronous store (SQLite through better-sqlite3), later from others. */
export type MaybePromise<T> = T | Promise<T>;

/** A raw tracker document as a sync stores it. */
export interface StoredDoc {
  readonly id: string;
  /** The tracker's change marker (Jira `updated`, Azure DevOps `rev`); null when it has none. */
  readonly version: string | null;
  readonly body: unknown;
}

/**
 * The storage a sync needs, owned by the adapters and filled by the SQLite store (CLI) or Forge / extension
 * storage. Each call is atomic on its own; a sync orders its writes so that an interrupted sync leaves a
 * consistent store and the next one resumes.
 */
export interface SyncStorePort {
  putDocs(kind: string, docs: readonly StoredDoc[]): MaybePromise<void>;
  getDoc(kind: string, id: string): MaybePromise<StoredDoc | undefined>;
  listDocs(kind: string): MaybePromise<StoredDoc[]>;
  docVersions(kind: string): MaybePromise<Map<string, string | null>>;
  deleteDocs(kind: string, ids: readonly string[]): MaybePromise<void>;
  replaceDocs(kind: string, docs: readonly StoredDoc[]): MaybePromise<void>;
  getState<T = unknown>(name: string): MaybePromise<T | undefined>;
  setState(name: string, value: unknown): MaybePromise<void>;
  recordSnapshots(kind: string, values: readonly { readonly id: string; readonly field: string; readonly value: unknown }[], takenAt: string): MaybePromise<number>;
  /**
   * Moves the documents of kind `from` with these ids to kind `to` (replacing what `to` holds under those ids),
   * inside the store, without reading them into memory. A store that can (SQLite) offers it, and a sync then
   * promotes what it staged however large the board; without it, the sync reads the staged documents back.
   */
  moveDocs?(from: string, to: string, ids: readonly string[]): MaybePromise<void>;
  /**
   * Runs `fn` in one transaction, when the store has transactions (SQLite and PostgreSQL do, Forge storage does
   * not): a sync's final commit then happens entirely or not at all. `fn` gets the store bound to the transaction
   * (PostgreSQL's: only its calls belong to it), or nothing when the store's calls join the open transaction by
   * themselves (SQLite's one connection). A synchronous store runs `fn` synchronously, and needs its answer at
   * once: write `fn` with {@link stepThrough}, which answers at once when every call it makes does.
   */
  transaction?<T>(fn: (tx?: SyncStorePort) => MaybePromise<T>): MaybePromise<T>;
}

/** A Scrum Master's verdict on a sprint's goal, as a store keeps it (the core's `SprintVerdict`). */
export interface StoredVerdict {
  readonly outcome: 'met' | 'partly' | 'missed';
  readonly by: string;
  readonly at: string;
  readonly note?: string;
}

/** A date snapshot: one field's value from `takenAt` on. */
export interface SnapshotRow {
  readonly id: string;
  readonly field: string;
  readonly value: unknown;
  readonly takenAt: string;
}

/** What reading a synced board or team needs, beyond what syncing writes. */
export interface ReadStorePort extends Pick<SyncStorePort, 'listDocs' | 'getState'> {
  snapshots(kind: string): MaybePromise<SnapshotRow[]>;
  verdicts(): MaybePromise<Map<string, StoredVerdict>>;
}

/**
 * Store calls written once for stores that answer at once and stores that answer later: a generator that yields
 * each answer it waits for (`const docs = yield* answer(store.listDocs(kind))`). {@link stepThrough} runs it.
 */
export type Steps<T> = Generator<unknown, T, unknown>;

/** One store answer for {@link Steps} to wait for. */
export function* answer<T>(value: MaybePromise<T>): Steps<T> {
  return (yield value) as T;
}

/**
 * Runs `steps` synchronously as long as the store answers synchronously, so that SQLite's transactions (which
 * must not span a Promise) and its hot paths stay as they were; from the first Promise on, it continues when
 * that settles and answers a Promise. Costs nothing per item: steps wait per page or chunk.
 */
export function stepThrough<T>(steps: Steps<T>): MaybePromise<T> {
  return drive(steps, () => steps.next());
}

function drive<T>(steps: Steps<T>, first: () => IteratorResult<unknown, T>): MaybePromise<T> {
  let next = first();
  while (!next.done) {
    const value = next.value;
    if (isPromise(value)) return value.then((v) => drive(steps, () => steps.next(v)), (error: unknown) => drive(steps, () => steps.throw(error)));
    next = steps.next(value);
  }
  return next.value;
}

function isPromise(value: unknown): value is Promise<unknown> {
  return value !== null && typeof value === 'object' && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Runs `steps` in one transaction of `store` when it has transactions, handing them the store bound to it; else
 * on the store as it is.
 */
export function inTransaction<S extends { transaction?<T>(fn: (tx?: S) => MaybePromise<T>): MaybePromise<T> }, T>(store: S, steps: (tx: S) => Steps<T>): MaybePromise<T> {
  if (!store.transaction) return stepThrough(steps(store));
  return store.transaction((tx) => stepThrough(steps(tx ?? store)));
}

/** A write of a sync's commit, made on the store it is handed (the one bound to the commit's transaction). */
export type CommitOp = (store: SyncStorePort) => MaybePromise<unknown>;

/**
 * Applies writes in one transaction when the store has them (a page with its resume cursor, a sync's final
 * commit), else one after the other.
 */
export async function commitAll(store: SyncStorePort, ops: readonly CommitOp[]): Promise<void> {
  await inTransaction(store, function* (tx) {
    for (const op of ops) yield* answer(op(tx));
  });
}

/** What a sync staged and keeps, and how its final commit promotes it (see {@link stagedPromotion}). */
export interface StagedPromotion {
  /** The staged documents kept, by id. */
  readonly ids: readonly string[];
  /** A staged document's body (kept in memory when the store cannot move documents, else read when asked for). */
  body(id: string): Promise<unknown>;
  /** The commit's step that makes the kept staged documents documents of the promoted kind (on the commit's store). */
  promote(store: SyncStorePort): MaybePromise<void>;
}

/**
 * The documents a sync staged (kind `staged`) that it keeps, promoted to kind `kind` at its commit: moved inside the
 * store when it can (`moveDocs`), so that no document is read into memory however many there are; else read back
 * now and written again at the commit, as a store without transactions needs (the hosted surfaces' stores).
 */
export async function stagedPromotion(store: SyncStorePort, staged: string, kind: string, keep: (id: string) => boolean): Promise<StagedPromotion> {
  if (store.moveDocs) {
    const move = store.moveDocs.bind(store);
    const ids = [...(await store.docVersions(staged)).keys()].filter(keep);
    return { ids, body: async (id) => (await store.getDoc(staged, id))?.body, promote: (s) => (s.moveDocs ? s.moveDocs(staged, kind, ids) : move(staged, kind, ids)) };
  }
  const docs = (await store.listDocs(staged)).filter((d) => keep(d.id));
  const byId = new Map(docs.map((d) => [d.id, d.body]));
  return { ids: docs.map((d) => d.id), body: async (id) => byId.get(id), promote: (s) => s.putDocs(kind, docs) };
}
