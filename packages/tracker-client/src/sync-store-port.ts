type MaybePromise<T> = T | Promise<T>;

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
   * Runs synchronous store calls in one transaction, when the store has transactions (SQLite does, Forge
   * storage does not): a sync's final commit then happens entirely or not at all.
   */
  transaction?<T>(fn: () => T): T;
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

/** Applies a sync's final writes in one transaction when the store has them, else one after the other. */
export async function commitAll(store: SyncStorePort, ops: readonly (() => MaybePromise<unknown>)[]): Promise<void> {
  if (store.transaction) {
    store.transaction(() => {
      for (const op of ops) {
        if (op() instanceof Promise) throw new Error('a store with transactions must answer synchronously');
      }
    });
    return;
  }
  for (const op of ops) await op();
}

/** What a sync staged and keeps, and how its final commit promotes it (see {@link stagedPromotion}). */
export interface StagedPromotion {
  /** The staged documents kept, by id. */
  readonly ids: readonly string[];
  /** A staged document's body (kept in memory when the store cannot move documents, else read when asked for). */
  body(id: string): Promise<unknown>;
  /** The commit's step that makes the kept staged documents documents of the promoted kind. */
  promote(): MaybePromise<void>;
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
    return { ids, body: async (id) => (await store.getDoc(staged, id))?.body, promote: () => move(staged, kind, ids) };
  }
  const docs = (await store.listDocs(staged)).filter((d) => keep(d.id));
  const byId = new Map(docs.map((d) => [d.id, d.body]));
  return { ids: docs.map((d) => d.id), body: async (id) => byId.get(id), promote: () => store.putDocs(kind, docs) };
}
