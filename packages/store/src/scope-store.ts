import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { canonicalJson } from '@agile-kpi/core';
import type { Database, Statement } from 'better-sqlite3';
import type { CompiledDoc, CompiledDocs, DateSnapshot, OutcomeRow, ScopeStore, SprintVerdict, StoreScopeKey, StoredDoc, VerdictOutcome } from './agile-store';
import { StoreError, storeErrorFrom } from './store-error';

/**
 * Every statement the scopes run, prepared once per open database and shared by all its scopes: preparing
 * is the dominant cost of a small query, and a sync calls these thousands of times.
 */
export interface ScopeStatements {
  readonly upsertDoc: Statement<[number, string, string, string | null, string]>;
  readonly getDoc: Statement<[number, string, string], { version: string | null; body: string }>;
  readonly listDocs: Statement<[number, string], { id: string; version: string | null; body: string }>;
  readonly docVersions: Statement<[number, string], { id: string; version: string | null }>;
  readonly deleteDoc: Statement<[number, string, string]>;
  readonly copyDoc: Statement<[string, number, string, string]>;
  readonly countDocs: Statement<[number, string], number>;
  readonly getState: Statement<[number, string], string>;
  readonly setState: Statement<[number, string, string]>;
  readonly deleteState: Statement<[number, string]>;
  readonly latestSnapshot: Statement<[number, string, string, string], string>;
  readonly insertSnapshot: Statement<[number, string, string, string, string, string]>;
  readonly snapshots: Statement<[number, string], { id: string; field: string; value: string; takenAt: string }>;
  readonly setVerdict: Statement<[number, string, string, string, string, string | null]>;
  readonly deleteVerdict: Statement<[number, string]>;
  readonly verdicts: Statement<
    [number],
    { sprintId: string; outcome: VerdictOutcome; by: string; at: string; note: string | null }
  >;
  readonly clear: readonly Statement<[number]>[];
  /** Prepared on first use: a store opened with an older migration list (tests) has no compiled table. */
  readonly compiled: CompiledStatements;
  /** Prepared on first use, as `compiled`. */
  readonly outcomes: OutcomeStatements;
}

export interface OutcomeStatements {
  readonly put: Statement<[number, string, string, string]>;
  readonly list: Statement<[number], { kind: string; id: string; body: string }>;
  readonly delete: Statement<[number, string, string]>;
}

function prepareOutcomeStatements(db: Database): OutcomeStatements {
  return {
    // The WHERE leaves an equal record alone, so `changes` counts only what an import really added or changed.
    put: db.prepare(
      `INSERT INTO outcomes (scope_id, kind, id, body) VALUES (?, ?, ?, ?)
       ON CONFLICT (scope_id, kind, id) DO UPDATE SET body = excluded.body WHERE outcomes.body IS NOT excluded.body`,
    ),
    list: db.prepare('SELECT kind, id, body FROM outcomes WHERE scope_id = ? ORDER BY kind, id'),
    delete: db.prepare('DELETE FROM outcomes WHERE scope_id = ? AND kind = ? AND id = ?'),
  };
}

export interface CompiledStatements {
  readonly stale: Statement<[string, number, string], string>;
  readonly put: Statement<[number, string, string, string, string, Buffer, number, string, string]>;
  readonly list: Statement<[number, string, string], { id: string; body: string; checksum: Buffer }>;
}

function prepareCompiledStatements(db: Database): CompiledStatements {
  return {
    stale: db
      .prepare<[string, number, string], string>(
        `SELECT d.id FROM docs d INDEXED BY docs_versions
         LEFT JOIN compiled c INDEXED BY compiled_fingerprints ON c.scope_id = d.scope_id AND c.kind = d.kind AND c.id = d.id AND c.fingerprint = ?
         WHERE d.scope_id = ? AND d.kind = ? AND c.id IS NULL ORDER BY d.id`,
      )
      .pluck(),
    put: db.prepare(
      `INSERT INTO compiled (scope_id, kind, id, fingerprint, body, checksum)
       SELECT ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM docs INDEXED BY docs_versions WHERE scope_id = ? AND kind = ? AND id = ?)
       ON CONFLICT (scope_id, kind, id) DO UPDATE SET fingerprint = excluded.fingerprint, body = excluded.body, checksum = excluded.checksum`,
    ),
    list: db.prepare('SELECT id, body, checksum FROM compiled WHERE scope_id = ? AND kind = ? AND fingerprint = ? ORDER BY id'),
  };
}

/**
 * The checksum kept with a compiled body: CRC-32 of its text (as UTF-8), 4 bytes big-endian. It guards against
 * accidents (a disk error, a hand edit), not tampering, and it is checked for every compiled item each time a
 * board is read: zlib's CRC-32 takes a fifth of SHA-1's time (50 000 items: 18 ms against 85 ms).
 */
export function checksumOf(text: string): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt32BE(crc32(text));
  return out;
}

/** Whether `stored` is the checksum of `text` (a SHA-1 kept by an earlier version never is: its item is compiled again). */
export function checksumMatches(text: string, stored: Buffer): boolean {
  return stored.length === 4 && stored.readUInt32BE(0) === crc32(text);
}

/** A fingerprint (any text naming mapping settings, however long) as the store keeps it with each compiled form. */
export function fingerprintKey(fingerprint: string): string {
  return createHash('sha1').update(fingerprint).digest('base64');
}

export function prepareScopeStatements(db: Database): ScopeStatements {
  let compiled: CompiledStatements | undefined;
  let outcomes: OutcomeStatements | undefined;
  return {
    // The WHERE skips rewriting unchanged documents, so re-syncing a mostly unchanged board writes little.
    upsertDoc: db.prepare(
      `INSERT INTO docs (scope_id, kind, id, version, body) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (scope_id, kind, id) DO UPDATE SET version = excluded.version, body = excluded.body
       WHERE docs.version IS NOT excluded.version OR docs.body IS NOT excluded.body`,
    ),
    getDoc: db.prepare('SELECT version, body FROM docs WHERE scope_id = ? AND kind = ? AND id = ?'),
    listDocs: db.prepare('SELECT id, version, body FROM docs WHERE scope_id = ? AND kind = ? ORDER BY id'),
    docVersions: db.prepare(
      'SELECT id, version FROM docs INDEXED BY docs_versions WHERE scope_id = ? AND kind = ? ORDER BY id',
    ),
    deleteDoc: db.prepare('DELETE FROM docs WHERE scope_id = ? AND kind = ? AND id = ?'),
    // As upsertDoc, from another kind's row: a document moves without leaving SQLite.
    copyDoc: db.prepare(
      `INSERT INTO docs (scope_id, kind, id, version, body)
       SELECT scope_id, ?, id, version, body FROM docs WHERE scope_id = ? AND kind = ? AND id = ?
       ON CONFLICT (scope_id, kind, id) DO UPDATE SET version = excluded.version, body = excluded.body
       WHERE docs.version IS NOT excluded.version OR docs.body IS NOT excluded.body`,
    ),
    countDocs: db
      .prepare<[number, string], number>('SELECT count(*) FROM docs INDEXED BY docs_versions WHERE scope_id = ? AND kind = ?')
      .pluck(),
    getState: db.prepare<[number, string], string>('SELECT value FROM state WHERE scope_id = ? AND name = ?').pluck(),
    setState: db.prepare(
      `INSERT INTO state (scope_id, name, value) VALUES (?, ?, ?)
       ON CONFLICT (scope_id, name) DO UPDATE SET value = excluded.value`,
    ),
    deleteState: db.prepare('DELETE FROM state WHERE scope_id = ? AND name = ?'),
    latestSnapshot: db
      .prepare<[number, string, string, string], string>(
        `SELECT value FROM snapshots WHERE scope_id = ? AND kind = ? AND entity_id = ? AND field = ?
         ORDER BY taken_at DESC, seq DESC LIMIT 1`,
      )
      .pluck(),
    insertSnapshot: db.prepare(
      'INSERT INTO snapshots (scope_id, kind, entity_id, field, value, taken_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    snapshots: db.prepare(
      `SELECT entity_id AS id, field, value, taken_at AS takenAt FROM snapshots
       WHERE scope_id = ? AND kind = ? ORDER BY taken_at, seq`,
    ),
    setVerdict: db.prepare(
      `INSERT INTO verdicts (scope_id, sprint_id, outcome, decided_by, decided_at, note) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (scope_id, sprint_id) DO UPDATE SET outcome = excluded.outcome,
         decided_by = excluded.decided_by, decided_at = excluded.decided_at, note = excluded.note`,
    ),
    deleteVerdict: db.prepare('DELETE FROM verdicts WHERE scope_id = ? AND sprint_id = ?'),
    verdicts: db.prepare(
      `SELECT sprint_id AS sprintId, outcome, decided_by AS by, decided_at AS at, note FROM verdicts
       WHERE scope_id = ? ORDER BY sprint_id`,
    ),
    // Compiled forms go with their documents (a trigger deletes them).
    clear: ['docs', 'state', 'snapshots', 'verdicts'].map((table) =>
      db.prepare<[number]>(`DELETE FROM ${table} WHERE scope_id = ?`),
    ),
    get compiled() {
      compiled ??= prepareCompiledStatements(db);
      return compiled;
    },
    get outcomes() {
      outcomes ??= prepareOutcomeStatements(db);
      return outcomes;
    },
  };
}

/** Accepts what the trackers write ('2025-03-01T09:00:00.000+0100' too) but not the free text Date.parse takes. */
const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

/** Milliseconds of an ISO instant, or NaN; refuses days that do not exist (Date.parse rolls 2025-02-30 over). */
function parseInstant(text: string): number {
  const match = ISO_INSTANT.exec(text);
  if (match === null) return Number.NaN;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const calendarDay = new Date(Date.UTC(year, month - 1, day));
  if (calendarDay.getUTCMonth() !== month - 1 || calendarDay.getUTCDate() !== day) return Number.NaN;
  return Date.parse(text);
}

const VERDICT_OUTCOMES: readonly string[] = ['met', 'partly', 'missed'] satisfies VerdictOutcome[];

/** `takenAt` as the store keeps it: one spelling per instant (UTC, milliseconds), so ordering by the text orders by time. */
export function snapshotInstant(takenAt: string, file: string): string {
  const instant = parseInstant(takenAt);
  if (Number.isNaN(instant)) {
    throw new StoreError(
      `recordSnapshots needs takenAt as an ISO instant such as 2025-03-01T09:00:00Z, got ${JSON.stringify(takenAt)}`,
      file,
    );
  }
  return new Date(instant).toISOString();
}

export function checkVerdict(sprintId: string, verdict: SprintVerdict | undefined, file: string): void {
  if (verdict !== undefined && !VERDICT_OUTCOMES.includes(verdict.outcome)) {
    throw new StoreError(
      `a sprint goal verdict is met, partly or missed, got ${JSON.stringify(verdict.outcome)} for sprint ${sprintId}`,
      file,
    );
  }
}

/** The JSON text a value is stored as; refuses what JSON.stringify drops. */
export function jsonText(value: unknown, what: string, file: string): string {
  const json = JSON.stringify(value) as string | undefined;
  if (json === undefined) {
    throw new StoreError(`${what} is not JSON-serialisable (undefined or a function); store null instead`, file);
  }
  return json;
}

/**
 * One scope of an open SQLite store. Holds only the scope's row id: every call binds it into the shared
 * statements, so a scope costs nothing to create and two scopes never see each other's rows.
 */
export class SqliteScopeStore implements ScopeStore {
  constructor(
    readonly key: StoreScopeKey,
    private readonly db: Database,
    private readonly statements: ScopeStatements,
    /** null for a scope that a read-only store has never recorded: it reads as empty. */
    private readonly scopeId: number | null,
    private readonly file: string,
  ) {}

  putDocs(kind: string, docs: readonly StoredDoc[]): void {
    this.write(() => this.upsertAll(kind, docs));
  }

  getDoc(kind: string, id: string): StoredDoc | undefined {
    return this.read((scopeId) => {
      const row = this.statements.getDoc.get(scopeId, kind, id);
      return row === undefined ? undefined : { id, version: row.version, body: JSON.parse(row.body) as unknown };
    });
  }

  listDocs(kind: string): StoredDoc[] {
    return this.read((scopeId) =>
      this.statements.listDocs
        .all(scopeId, kind)
        .map((row) => ({ id: row.id, version: row.version, body: JSON.parse(row.body) as unknown })),
    );
  }

  docVersions(kind: string): Map<string, string | null> {
    return this.read(
      (scopeId) => new Map(this.statements.docVersions.all(scopeId, kind).map((row) => [row.id, row.version])),
    );
  }

  deleteDocs(kind: string, ids: readonly string[]): void {
    this.write((scopeId) => {
      for (const id of ids) this.statements.deleteDoc.run(scopeId, kind, id);
    });
  }

  moveDocs(from: string, to: string, ids: readonly string[]): void {
    this.write((scopeId) => {
      for (const id of ids) {
        this.statements.copyDoc.run(to, scopeId, from, id);
        this.statements.deleteDoc.run(scopeId, from, id);
      }
    });
  }

  replaceDocs(kind: string, docs: readonly StoredDoc[]): void {
    this.write((scopeId) => {
      const keep = new Set(docs.map((doc) => doc.id));
      for (const id of this.statements.docVersions.all(scopeId, kind).map((row) => row.id)) {
        if (!keep.has(id)) this.statements.deleteDoc.run(scopeId, kind, id);
      }
      this.upsertAll(kind, docs);
    });
  }

  countDocs(kind: string): number {
    return this.read((scopeId) => this.statements.countDocs.get(scopeId, kind) ?? 0);
  }

  getState<T = unknown>(name: string): T | undefined {
    return this.read((scopeId) => {
      const value = this.statements.getState.get(scopeId, name);
      return value === undefined ? undefined : (JSON.parse(value) as T);
    });
  }

  setState(name: string, value: unknown): void {
    this.write((scopeId) => {
      if (value === undefined) {
        this.statements.deleteState.run(scopeId, name);
        return;
      }
      this.statements.setState.run(scopeId, name, this.json(value, `state ${JSON.stringify(name)}`));
    });
  }

  recordSnapshots(
    kind: string,
    values: readonly { readonly id: string; readonly field: string; readonly value: unknown }[],
    takenAt: string,
  ): number {
    const taken = snapshotInstant(takenAt, this.file);
    return this.write((scopeId) => {
      let appended = 0;
      for (const { id, field, value } of values) {
        const json = canonicalJson(value);
        // Read inside the transaction, so a repeated (id, field) in `values` compares with the row just added.
        if (this.statements.latestSnapshot.get(scopeId, kind, id, field) === json) continue;
        this.statements.insertSnapshot.run(scopeId, kind, id, field, json, taken);
        appended += 1;
      }
      return appended;
    });
  }

  snapshots(kind: string): DateSnapshot[] {
    return this.read((scopeId) =>
      this.statements.snapshots
        .all(scopeId, kind)
        .map((row) => ({ id: row.id, field: row.field, value: JSON.parse(row.value) as unknown, takenAt: row.takenAt })),
    );
  }

  setVerdict(sprintId: string, verdict: SprintVerdict | undefined): void {
    checkVerdict(sprintId, verdict, this.file);
    this.write((scopeId) => {
      if (verdict === undefined) this.statements.deleteVerdict.run(scopeId, sprintId);
      else this.statements.setVerdict.run(scopeId, sprintId, verdict.outcome, verdict.by, verdict.at, verdict.note ?? null);
    });
  }

  verdicts(): Map<string, SprintVerdict> {
    return this.read(
      (scopeId) =>
        new Map(
          this.statements.verdicts.all(scopeId).map(({ sprintId, outcome, by, at, note }) => {
            const verdict: SprintVerdict = note === null ? { outcome, by, at } : { outcome, by, at, note };
            return [sprintId, verdict];
          }),
        ),
    );
  }

  transaction<T>(fn: () => T): T {
    this.checkOpen();
    const run = this.db.transaction(fn);
    try {
      // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and writes later can
      // fail with SQLITE_BUSY without waiting when another agile-kpi committed in between.
      return this.db.readonly || this.db.inTransaction ? run() : run.immediate();
    } catch (error) {
      throw storeErrorFrom(error, this.file);
    }
  }

  clear(): void {
    this.write((scopeId) => {
      for (const statement of this.statements.clear) statement.run(scopeId);
    });
  }

  getDocs(kind: string, ids: readonly string[]): StoredDoc[] {
    return this.read((scopeId) => {
      const out: StoredDoc[] = [];
      for (const id of [...new Set(ids)].sort()) {
        const row = this.statements.getDoc.get(scopeId, kind, id);
        if (row !== undefined) out.push({ id, version: row.version, body: JSON.parse(row.body) as unknown });
      }
      return out;
    });
  }

  staleCompiled(kind: string, fingerprint: string): string[] {
    return this.read((scopeId) => this.statements.compiled.stale.all(fingerprintKey(fingerprint), scopeId, kind));
  }

  putCompiled(kind: string, fingerprint: string, docs: readonly CompiledDoc[]): void {
    const key = fingerprintKey(fingerprint);
    this.write((scopeId) => {
      for (const doc of docs) {
        const body = this.json(doc.body, `compiled ${kind} ${JSON.stringify(doc.id)}`);
        this.statements.compiled.put.run(scopeId, kind, doc.id, key, body, checksumOf(body), scopeId, kind, doc.id);
      }
    });
  }

  listCompiled<R = unknown>(kind: string, fingerprint: string, read: (body: unknown, id: string) => R = (body) => body as R): CompiledDocs<R> {
    return this.read((scopeId) => {
      const docs: { id: string; body: R }[] = [];
      const corrupt: string[] = [];
      // Row by row: each body's text, and what JSON.parse made of it, go as soon as `read` has it.
      for (const row of this.statements.compiled.list.iterate(scopeId, kind, fingerprintKey(fingerprint))) {
        if (checksumMatches(row.body, row.checksum)) docs.push({ id: row.id, body: read(JSON.parse(row.body) as unknown, row.id) });
        else corrupt.push(row.id);
      }
      return { docs, corrupt };
    });
  }

  putOutcomes(rows: readonly OutcomeRow[]): number {
    return this.write((scopeId) => {
      let changed = 0;
      for (const row of rows) changed += this.statements.outcomes.put.run(scopeId, row.kind, row.id, this.json(row.body, `outcome ${JSON.stringify(row.id)}`)).changes;
      return changed;
    });
  }

  deleteOutcomes(kind: string, ids: readonly string[]): number {
    return this.write((scopeId) => {
      let deleted = 0;
      for (const id of new Set(ids)) deleted += this.statements.outcomes.delete.run(scopeId, kind, id).changes;
      return deleted;
    });
  }

  listOutcomes(kinds?: readonly string[]): OutcomeRow[] {
    const wanted = kinds && new Set(kinds);
    return this.read((scopeId) =>
      this.statements.outcomes.list
        .all(scopeId)
        .filter((row) => !wanted || wanted.has(row.kind))
        .map((row) => ({ kind: row.kind, id: row.id, body: JSON.parse(row.body) as unknown })),
    );
  }

  /** Callers run inside `write`, so the whole batch is one transaction and one statement. */
  private upsertAll(kind: string, docs: readonly StoredDoc[]): void {
    const scopeId = this.scopeId as number;
    for (const doc of docs) {
      const body = this.json(doc.body, `${kind} ${JSON.stringify(doc.id)}`);
      this.statements.upsertDoc.run(scopeId, kind, doc.id, doc.version, body);
    }
  }

  private json(value: unknown, what: string): string {
    return jsonText(value, what, this.file);
  }

  private checkOpen(): void {
    if (!this.db.open) throw new StoreError(`the store at ${this.file} is closed; open it again`, this.file);
  }

  private read<T>(fn: (scopeId: number) => T): T {
    this.checkOpen();
    try {
      // -1 matches no row: a scope a read-only store has never seen is empty.
      return fn(this.scopeId ?? -1);
    } catch (error) {
      throw storeErrorFrom(error, this.file);
    }
  }

  private write<T>(fn: (scopeId: number) => T): T {
    this.checkOpen();
    if (this.db.readonly || this.scopeId === null) {
      throw new StoreError(`the store at ${this.file} is open read-only; open it without readonly to change it`, this.file);
    }
    const scopeId = this.scopeId;
    return this.transaction(() => fn(scopeId));
  }
}
