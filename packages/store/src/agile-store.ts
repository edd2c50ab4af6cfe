/**
 * The store port: what a sync needs to remember between runs, in tracker-neutral terms. The CLI implements
 * it on SQLite (`openStore`); the Forge app implements the same interfaces on Forge storage, so nothing
 * here may mention SQL, files or a particular tracker's entities beyond the free-form `kind` strings.
 * Everything is synchronous because better-sqlite3 is; an asynchronous backend wraps these calls, not the
 * other way round.
 */

/** Which tracker view a scope mirrors. Compared exactly: callers normalise urls (no trailing slash) before. */
export interface StoreScopeKey {
  /** 'jira' | 'azure-devops' (open: a new tracker needs no store change). */
  readonly source: string;
  /** 'https://x.atlassian.net' or the Azure DevOps organisation url. */
  readonly site: string;
  /** A board id, or project/team. */
  readonly scope: string;
}

export interface StoredDoc {
  readonly id: string;
  /** The tracker's own change marker (Jira `updated`, Azure DevOps `rev`); null when the tracker has none. */
  readonly version: string | null;
  /**
   * The raw tracker payload, kept as fetched so mappings can be re-run without refetching. Stored as JSON
   * text, so it reads back as `JSON.parse(JSON.stringify(body))`.
   */
  readonly body: unknown;
}

/**
 * A raw document's compiled form: what an adapter mapped it to in the neutral model, checked. Kept next to the
 * raw document so that reading a synced board never maps and checks its raw payloads again.
 */
export interface CompiledDoc {
  /** The raw document's id. */
  readonly id: string;
  /** Stored as JSON text, so it reads back as `JSON.parse(JSON.stringify(body))`. */
  readonly body: unknown;
}

/** The compiled forms of a kind under one fingerprint, as read back (each body as `read` made it). */
export interface CompiledDocs<R = unknown> {
  /** Ordered by id in string order. */
  readonly docs: { readonly id: string; readonly body: R }[];
  /** Ids whose body no longer matches the checksum written with it (changed behind the store's back): compile them again. */
  readonly corrupt: string[];
}

export interface DateSnapshot {
  readonly id: string;
  readonly field: string;
  readonly value: unknown;
  /** UTC instant with milliseconds (`2025-03-01T09:00:00.000Z`), whatever offset it was recorded with. */
  readonly takenAt: string;
}

export type VerdictOutcome = 'met' | 'partly' | 'missed';

/** A customer outcome record: a survey response, a day of a feature's usage, a benefit (see CustomerOutcomes in core). */
export interface OutcomeRow {
  /** 'csat' | 'nps' | 'usage' | 'benefit' (open: the store does not read it). */
  readonly kind: string;
  /** Stable: the same source row or rating always gets the same id. */
  readonly id: string;
  /** Stored as JSON text, so it reads back as `JSON.parse(JSON.stringify(body))`. */
  readonly body: unknown;
}

export interface SprintVerdict {
  readonly outcome: VerdictOutcome;
  /** Who judged the goal (an account id or display name, as the surface knows it). */
  readonly by: string;
  /** When, as an ISO instant. */
  readonly at: string;
  readonly note?: string;
}

export interface AgileStore {
  /** The store file as opened (absolute), or ':memory:'. */
  readonly file: string;
  /** Schema version after migrations. */
  readonly schemaVersion: number;
  /** The store of one tracker view; creates its record on first use. */
  scope(key: StoreScopeKey): ScopeStore;
  /** Every scope that has been used, ordered by source, site, scope. */
  scopes(): StoreScopeKey[];
  /** Idempotent. Any later call on this store or its scopes throws a `StoreError`. */
  close(): void;
}

export interface ScopeStore {
  readonly key: StoreScopeKey;
  /**
   * Upserts documents of a kind ('issue', 'changelog', 'sprint', 'version', 'board', 'field', 'status',
   * 'issuetype', ...) in one transaction. `version` is the tracker's own change marker, used to decide what to
   * refetch. A repeated id within `docs` keeps the last one.
   */
  putDocs(kind: string, docs: readonly StoredDoc[]): void;
  getDoc(kind: string, id: string): StoredDoc | undefined;
  /** Ordered by id in string order (UTF-8 byte order, i.e. code point order: '10001' before '9999'). */
  listDocs(kind: string): StoredDoc[];
  /** id -> version without reading bodies, to decide what changed since the last sync. */
  docVersions(kind: string): Map<string, string | null>;
  /** Ids that are not stored are ignored. */
  deleteDocs(kind: string, ids: readonly string[]): void;
  /**
   * Moves the documents of kind `from` with these ids to kind `to`, in one transaction and without reading them
   * out of the file: a sync promotes what it staged however large the board. A document `to` already holds under
   * the same id is replaced (left as it is when equal); ids `from` does not hold are ignored.
   */
  moveDocs(from: string, to: string, ids: readonly string[]): void;
  /** Replaces every document of a kind with exactly these (deletes the others), in one transaction. */
  replaceDocs(kind: string, docs: readonly StoredDoc[]): void;
  countDocs(kind: string): number;
  /** Small JSON state: sync watermark, resume checkpoint, last sync summary. */
  getState<T = unknown>(name: string): T | undefined;
  /** `value` must be JSON-serialisable; `undefined` deletes the state. */
  setState(name: string, value: unknown): void;
  /**
   * Date snapshots: trackers keep no history of sprint or release dates, so each sync records them.
   * Appends a row for an (entity, field) only when the value differs (as JSON, ignoring key order) from the
   * latest one recorded (latest by `takenAt`, then insertion); returns how many rows it appended. An
   * `undefined` value is recorded as null, so a date being cleared is a change.
   */
  recordSnapshots(
    kind: string,
    values: readonly { readonly id: string; readonly field: string; readonly value: unknown }[],
    takenAt: string,
  ): number;
  /** Ascending by `takenAt`, then insertion order. */
  snapshots(kind: string): DateSnapshot[];
  /** Sprint goal verdicts recorded by users (neither tracker stores them); `undefined` removes one. */
  setVerdict(sprintId: string, verdict: SprintVerdict | undefined): void;
  /** Ordered by sprint id. */
  verdicts(): Map<string, SprintVerdict>;
  /**
   * Runs `fn` in one transaction: nothing is visible to other readers, or survives a crash, until the
   * outermost call returns. Nested calls join the outer transaction (as a savepoint, so an inner failure
   * that the outer `fn` catches undoes only the inner writes). An exception rolls back and is rethrown.
   * `fn` must be synchronous.
   */
  transaction<T>(fn: () => T): T;
  /** Deletes every document, state, snapshot and verdict of the scope (a full re-sync from scratch). */
  clear(): void;
  /** Raw documents of a kind by id (ids not stored are left out), ordered by id. */
  getDocs(kind: string, ids: readonly string[]): StoredDoc[];
  /**
   * Ids of the raw documents of a kind that have no compiled form under `fingerprint`: new, changed (a raw
   * document that changes or is deleted loses its compiled form, whoever writes it), or compiled under other
   * mapping settings. Ordered by id.
   */
  staleCompiled(kind: string, fingerprint: string): string[];
  /**
   * Stores compiled forms under `fingerprint` in one transaction, each with the checksum of its JSON text. A
   * document whose raw document is not stored is ignored. Compile from raw documents read in the same
   * `transaction` as this call, so that no other writer can change them in between.
   */
  putCompiled(kind: string, fingerprint: string, docs: readonly CompiledDoc[]): void;
  /**
   * Every compiled form of a kind under `fingerprint`, each checked against its checksum and handed to `read` as
   * soon as it is parsed (so that what `read` does not keep goes at once). (There is no compiled
   * form without its raw document: `putCompiled` ignores those, and deleting a raw document deletes its compiled form.)
   */
  listCompiled<R = unknown>(kind: string, fingerprint: string, read?: (body: unknown, id: string) => R): CompiledDocs<R>;
  /**
   * Keeps customer outcome records in one transaction: a new id is added, a known one with another body replaced,
   * an equal one left alone. Returns how many were added or replaced (0 when the same file is imported again).
   * They are the team's own data, not the tracker's: `clear` keeps them.
   */
  putOutcomes(rows: readonly OutcomeRow[]): number;
  /** The outcome records of some kinds (all when absent), ordered by kind, then id. */
  listOutcomes(kinds?: readonly string[]): OutcomeRow[];
  /** Removes outcome records of a kind by id, in one transaction; returns how many there were (unknown ids are no error). */
  deleteOutcomes(kind: string, ids: readonly string[]): number;
}
