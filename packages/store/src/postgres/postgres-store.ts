import { createHash } from 'node:crypto';
import { canonicalJson } from '@agile-kpi/core';
import type * as PgModule from 'pg';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import type { CompiledDoc, CompiledDocs, DateSnapshot, OutcomeRow, SprintVerdict, StoreScopeKey, StoredDoc, VerdictOutcome } from '../agile-store';
import type { AsyncAgileStore, AsyncScopeStore, ExclusiveOptions } from '../async-store';
import { checksumMatches, checksumOf, checkVerdict, fingerprintKey, jsonText, snapshotInstant } from '../scope-store';
import { StoreError } from '../store-error';
import { migratePostgres, postgresMigrations, quoteIdentifier, type PostgresMigration } from './postgres-migrations';
import { postgresErrorFrom, redactUrl } from './postgres-error';

export interface OpenPostgresStoreOptions {
  /** The schema the store's tables live in (created when missing), so they never meet another program's. */
  readonly schema?: string;
  /** Connections kept open at most (default 10). A sync holding its scope's lock keeps one of them. */
  readonly maxConnections?: number;
}

/** `postgres://` or `postgresql://`: what `--store` and AGILE_KPI_STORE take for a PostgreSQL store. */
export function isPostgresUrl(text: string): boolean {
  return /^postgres(ql)?:\/\//i.test(text);
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
/** Rows per statement when writing many: arrays travel as one parameter each, so this bounds only a statement's size. */
const BATCH = 1000;
const DEFAULT_LOCK_WAIT_MS = 10 * 60 * 1000;

/**
 * Opens the PostgreSQL store at `url` (`postgres://user:password@host:5432/db`) and migrates its schema, in one
 * transaction that other processes starting at once wait for. Throws a `StoreError` naming the url without its
 * password and the fix: server unreachable, wrong password, missing database, a schema from a newer agile-kpi.
 */
export async function openPostgresStore(url: string, options: OpenPostgresStoreOptions = {}): Promise<AsyncAgileStore> {
  return openPostgresStoreWith(url, options, postgresMigrations);
}

/** `openPostgresStore` with another migration list: the seam for tests of upgrades (not exported from the package). */
export async function openPostgresStoreWith(url: string, options: OpenPostgresStoreOptions, list: readonly PostgresMigration[]): Promise<AsyncAgileStore> {
  const where = redactUrl(url);
  if (!isPostgresUrl(url)) throw new StoreError(`a PostgreSQL store needs a postgres:// url, got ${where}`, where);
  const schema = options.schema ?? 'agile_kpi';
  if (!SCHEMA_NAME.test(schema)) {
    throw new StoreError(`a store schema is lower-case letters, digits and underscores, got ${JSON.stringify(schema)}`, where);
  }
  // pg is loaded when a PostgreSQL store is opened: a command on a SQLite store never loads it.
  const { Pool: PgPool } = require('pg') as typeof PgModule;
  const pool = new PgPool({ connectionString: url, max: options.maxConnections ?? 10, application_name: 'agile-kpi' });
  // An idle connection that the server drops must not crash the process: the next query fails and is classified.
  pool.on('error', () => undefined);
  const lockKey = createHash('sha1').update(schema).digest().readInt32BE(0);
  try {
    const client = await pool.connect();
    try {
      const version = await migratePostgres(client, schema, lockKey, where, list);
      return new PostgresAgileStore(pool, where, version, quoteIdentifier(schema), lockKey);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresErrorFrom(error, where);
  }
}

/** What runs a scope's statements: the pool (each call its own transaction) or one transaction's connection. */
interface Executor {
  query<R extends QueryResultRow>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Runs `fn` atomically: a transaction on the pool, a savepoint inside a transaction. */
  atomic<T>(fn: (executor: Executor) => Promise<T>, readOnly?: boolean): Promise<T>;
}

class PoolExecutor implements Executor {
  constructor(private readonly pool: Pool) {}

  query<R extends QueryResultRow>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.pool.query<R>(text, values as unknown[] | undefined);
  }

  async atomic<T>(fn: (executor: Executor) => Promise<T>, readOnly = false): Promise<T> {
    const client = await this.pool.connect();
    // A reader that reads in pages sees one snapshot of the whole list.
    await client.query(readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : 'BEGIN');
    return runInTransaction(client, fn, 1);
  }
}

/** Runs `fn` on an open transaction of `client` (depth 1) and commits it, or rolls it back and rethrows; releases the client. */
async function runInTransaction<T>(client: PoolClient, fn: (executor: Executor) => Promise<T>, depth: number): Promise<T> {
  let result: T;
  try {
    result = await fn(new TransactionExecutor(client, depth));
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackError) {
      // The connection is broken: the pool must not hand it out again.
      client.release(rollbackError as Error);
    }
    throw error;
  }
  try {
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  return result;
}

class TransactionExecutor implements Executor {
  constructor(
    private readonly client: PoolClient,
    private readonly depth: number,
  ) {}

  query<R extends QueryResultRow>(text: string, values?: readonly unknown[]): Promise<QueryResult<R>> {
    return this.client.query<R>(text, values as unknown[] | undefined);
  }

  // Every write inside a transaction is a savepoint, as SQLite's nested transactions are: PostgreSQL aborts the
  // whole transaction on any error, and a caller that catches a failed call must be able to go on.
  async atomic<T>(fn: (executor: Executor) => Promise<T>): Promise<T> {
    const savepoint = `s${this.depth}`;
    await this.client.query(`SAVEPOINT ${savepoint}`);
    try {
      const result = await fn(new TransactionExecutor(this.client, this.depth + 1));
      await this.client.query(`RELEASE SAVEPOINT ${savepoint}`);
      return result;
    } catch (error) {
      await this.client.query(`ROLLBACK TO SAVEPOINT ${savepoint}`);
      await this.client.query(`RELEASE SAVEPOINT ${savepoint}`);
      throw error;
    }
  }
}

const scopeKeyFields = ['source', 'site', 'scope'] as const;

class PostgresAgileStore implements AsyncAgileStore {
  private closed = false;
  private readonly pending = new Set<Promise<unknown>>();

  constructor(
    private readonly pool: Pool,
    readonly file: string,
    readonly schemaVersion: number,
    private readonly schema: string,
    private readonly lockKey: number,
  ) {}

  async scope(key: StoreScopeKey): Promise<AsyncScopeStore> {
    for (const field of scopeKeyFields) {
      if (typeof key[field] !== 'string' || key[field] === '') {
        throw new StoreError(`a store scope needs a non-empty ${field}, got ${JSON.stringify(key[field])}`, this.file);
      }
    }
    const frozen: StoreScopeKey = Object.freeze({ source: key.source, site: key.site, scope: key.scope });
    const scopeId = await this.track(async () => {
      const values = [frozen.source, frozen.site, frozen.scope];
      const inserted = await this.pool.query<{ scope_id: string }>(
        `INSERT INTO ${this.schema}.scopes (source, site, scope) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING scope_id`,
        values,
      );
      const found =
        inserted.rows[0] ??
        (await this.pool.query<{ scope_id: string }>(`SELECT scope_id FROM ${this.schema}.scopes WHERE source = $1 AND site = $2 AND scope = $3`, values)).rows[0];
      if (found === undefined) throw new Error(`the scope ${values.join(' ')} was neither inserted nor found`);
      return found.scope_id;
    });
    return new PostgresScopeStore(frozen, scopeId, new PoolExecutor(this.pool), this);
  }

  scopes(): Promise<StoreScopeKey[]> {
    return this.track(async () => {
      const result = await this.pool.query<StoreScopeKey>(`SELECT source, site, scope FROM ${this.schema}.scopes ORDER BY source, site, scope`);
      return result.rows.map((row) => Object.freeze({ source: row.source, site: row.site, scope: row.scope }));
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    await this.pool.end();
  }

  /** Runs one call of the store's or a scope's: refused once closed, classified when it fails, awaited by `close`. */
  track<T>(fn: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new StoreError(`the store at ${this.file} is closed; open it again`, this.file));
    const call = fn().catch((error: unknown) => {
      throw postgresErrorFrom(error, this.file);
    });
    this.pending.add(call);
    const forget = (): void => void this.pending.delete(call);
    call.then(forget, forget);
    return call;
  }

  table(name: string): string {
    return `${this.schema}.${name}`;
  }

  /** A connection of its own, for a sync's lock: held as long as the sync runs. */
  connect(): Promise<PoolClient> {
    return this.pool.connect();
  }

  get scopeLockKey(): number {
    return this.lockKey;
  }
}

/** Keeps the last of each id, as the SQLite store's row-by-row upsert does (one statement may not change a row twice). */
function lastById<T extends { readonly id: string }>(rows: readonly T[]): T[] {
  return [...new Map(rows.map((row) => [row.id, row])).values()];
}

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let start = 0; start < rows.length; start += BATCH) out.push(rows.slice(start, start + BATCH));
  return out;
}

function parseDoc(row: { id: string; version: string | null; body: string }): StoredDoc {
  return { id: row.id, version: row.version, body: JSON.parse(row.body) as unknown };
}

/**
 * One scope of a PostgreSQL store: its row id, bound into every statement. Each call is its own transaction
 * (on the pool) unless it is made on the scope `transaction` hands its function.
 */
class PostgresScopeStore implements AsyncScopeStore {
  constructor(
    readonly key: StoreScopeKey,
    private readonly scopeId: string,
    private readonly executor: Executor,
    private readonly store: PostgresAgileStore,
  ) {}

  private get file(): string {
    return this.store.file;
  }

  private t(name: string): string {
    return this.store.table(name);
  }

  private call<T>(fn: (executor: Executor) => Promise<T>): Promise<T> {
    return this.store.track(() => fn(this.executor));
  }

  private write<T>(fn: (executor: Executor) => Promise<T>): Promise<T> {
    return this.store.track(() => this.executor.atomic(fn));
  }

  async putDocs(kind: string, docs: readonly StoredDoc[]): Promise<void> {
    const rows = this.docRows(kind, docs);
    return this.write((q) => this.upsert(q, kind, rows));
  }

  getDoc(kind: string, id: string): Promise<StoredDoc | undefined> {
    return this.call(async (q) => {
      const result = await q.query<{ id: string; version: string | null; body: string }>(
        `SELECT id, version, body FROM ${this.t('docs')} WHERE scope_id = $1 AND kind = $2 AND id = $3`,
        [this.scopeId, kind, id],
      );
      const row = result.rows[0];
      return row === undefined ? undefined : parseDoc(row);
    });
  }

  listDocs(kind: string): Promise<StoredDoc[]> {
    return this.call(async (q) => {
      const result = await q.query<{ id: string; version: string | null; body: string }>(
        `SELECT id, version, body FROM ${this.t('docs')} WHERE scope_id = $1 AND kind = $2 ORDER BY id`,
        [this.scopeId, kind],
      );
      return result.rows.map(parseDoc);
    });
  }

  docVersions(kind: string): Promise<Map<string, string | null>> {
    return this.call(async (q) => {
      const result = await q.query<{ id: string; version: string | null }>(
        `SELECT id, version FROM ${this.t('docs')} WHERE scope_id = $1 AND kind = $2 ORDER BY id`,
        [this.scopeId, kind],
      );
      return new Map(result.rows.map((row) => [row.id, row.version]));
    });
  }

  deleteDocs(kind: string, ids: readonly string[]): Promise<void> {
    return this.write(async (q) => {
      await q.query(`DELETE FROM ${this.t('docs')} WHERE scope_id = $1 AND kind = $2 AND id = ANY($3::text[])`, [this.scopeId, kind, [...ids]]);
    });
  }

  moveDocs(from: string, to: string, ids: readonly string[]): Promise<void> {
    return this.write(async (q) => {
      for (const part of chunks([...new Set(ids)])) {
        await q.query(
          `INSERT INTO ${this.t('docs')} AS docs (scope_id, kind, id, version, body)
           SELECT scope_id, $2, id, version, body FROM ${this.t('docs')} WHERE scope_id = $1 AND kind = $3 AND id = ANY($4::text[])
           ON CONFLICT (scope_id, kind, id) DO UPDATE SET version = excluded.version, body = excluded.body
           WHERE docs.version IS DISTINCT FROM excluded.version OR docs.body IS DISTINCT FROM excluded.body`,
          [this.scopeId, to, from, part],
        );
        await q.query(`DELETE FROM ${this.t('docs')} WHERE scope_id = $1 AND kind = $2 AND id = ANY($3::text[])`, [this.scopeId, from, part]);
      }
    });
  }

  async replaceDocs(kind: string, docs: readonly StoredDoc[]): Promise<void> {
    const rows = this.docRows(kind, docs);
    return this.write(async (q) => {
      await q.query(`DELETE FROM ${this.t('docs')} WHERE scope_id = $1 AND kind = $2 AND id <> ALL($3::text[])`, [
        this.scopeId,
        kind,
        rows.map((row) => row.id),
      ]);
      await this.upsert(q, kind, rows);
    });
  }

  countDocs(kind: string): Promise<number> {
    return this.call(async (q) => {
      const result = await q.query<{ n: number }>(`SELECT count(*)::integer AS n FROM ${this.t('docs')} WHERE scope_id = $1 AND kind = $2`, [
        this.scopeId,
        kind,
      ]);
      return result.rows[0]?.n ?? 0;
    });
  }

  getState<T = unknown>(name: string): Promise<T | undefined> {
    return this.call(async (q) => {
      const result = await q.query<{ value: string }>(`SELECT value FROM ${this.t('state')} WHERE scope_id = $1 AND name = $2`, [this.scopeId, name]);
      const row = result.rows[0];
      return row === undefined ? undefined : (JSON.parse(row.value) as T);
    });
  }

  async setState(name: string, value: unknown): Promise<void> {
    const text = value === undefined ? undefined : jsonText(value, `state ${JSON.stringify(name)}`, this.file);
    return this.write(async (q) => {
      if (text === undefined) {
        await q.query(`DELETE FROM ${this.t('state')} WHERE scope_id = $1 AND name = $2`, [this.scopeId, name]);
        return;
      }
      await q.query(
        `INSERT INTO ${this.t('state')} (scope_id, name, value) VALUES ($1, $2, $3)
         ON CONFLICT (scope_id, name) DO UPDATE SET value = excluded.value`,
        [this.scopeId, name, text],
      );
    });
  }

  async recordSnapshots(kind: string, values: readonly { readonly id: string; readonly field: string; readonly value: unknown }[], takenAt: string): Promise<number> {
    const taken = snapshotInstant(takenAt, this.file);
    return this.write(async (q) => {
      let appended = 0;
      for (const { id, field, value } of values) {
        const json = canonicalJson(value);
        // Read inside the transaction, so a repeated (id, field) in `values` compares with the row just added.
        const latest = await q.query<{ value: string }>(
          `SELECT value FROM ${this.t('snapshots')} WHERE scope_id = $1 AND kind = $2 AND entity_id = $3 AND field = $4
           ORDER BY taken_at DESC, seq DESC LIMIT 1`,
          [this.scopeId, kind, id, field],
        );
        if (latest.rows[0]?.value === json) continue;
        await q.query(`INSERT INTO ${this.t('snapshots')} (scope_id, kind, entity_id, field, value, taken_at) VALUES ($1, $2, $3, $4, $5, $6)`, [
          this.scopeId,
          kind,
          id,
          field,
          json,
          taken,
        ]);
        appended += 1;
      }
      return appended;
    });
  }

  snapshots(kind: string): Promise<DateSnapshot[]> {
    return this.call(async (q) => {
      const result = await q.query<{ id: string; field: string; value: string; taken_at: string }>(
        `SELECT entity_id AS id, field, value, taken_at FROM ${this.t('snapshots')} WHERE scope_id = $1 AND kind = $2 ORDER BY taken_at, seq`,
        [this.scopeId, kind],
      );
      return result.rows.map((row) => ({ id: row.id, field: row.field, value: JSON.parse(row.value) as unknown, takenAt: row.taken_at }));
    });
  }

  async setVerdict(sprintId: string, verdict: SprintVerdict | undefined): Promise<void> {
    checkVerdict(sprintId, verdict, this.file);
    return this.write(async (q) => {
      if (verdict === undefined) {
        await q.query(`DELETE FROM ${this.t('verdicts')} WHERE scope_id = $1 AND sprint_id = $2`, [this.scopeId, sprintId]);
        return;
      }
      await q.query(
        `INSERT INTO ${this.t('verdicts')} (scope_id, sprint_id, outcome, decided_by, decided_at, note) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (scope_id, sprint_id) DO UPDATE SET outcome = excluded.outcome, decided_by = excluded.decided_by,
           decided_at = excluded.decided_at, note = excluded.note`,
        [this.scopeId, sprintId, verdict.outcome, verdict.by, verdict.at, verdict.note ?? null],
      );
    });
  }

  verdicts(): Promise<Map<string, SprintVerdict>> {
    return this.call(async (q) => {
      const result = await q.query<{ sprint_id: string; outcome: VerdictOutcome; decided_by: string; decided_at: string; note: string | null }>(
        `SELECT sprint_id, outcome, decided_by, decided_at, note FROM ${this.t('verdicts')} WHERE scope_id = $1 ORDER BY sprint_id`,
        [this.scopeId],
      );
      return new Map(
        result.rows.map(({ sprint_id, outcome, decided_by: by, decided_at: at, note }) => {
          const verdict: SprintVerdict = note === null ? { outcome, by, at } : { outcome, by, at, note };
          return [sprint_id, verdict];
        }),
      );
    });
  }

  transaction<T>(fn: (tx: AsyncScopeStore) => Promise<T>): Promise<T> {
    return this.write((executor) => fn(new PostgresScopeStore(this.key, this.scopeId, executor, this.store)));
  }

  exclusive<T>(fn: () => Promise<T>, options: ExclusiveOptions = {}): Promise<T> {
    if (this.executor instanceof TransactionExecutor) {
      return Promise.reject(new StoreError('exclusive is for a whole sync: call it outside transactions', this.file));
    }
    const waitMs = options.waitMs ?? DEFAULT_LOCK_WAIT_MS;
    return this.store.track(async () => {
      // A session lock on a connection of its own, held across the sync's many transactions; the server releases
      // it when the connection ends, so a killed sync leaves no lock behind.
      const client = await this.store.connect();
      let locked = false;
      try {
        await client.query(`SELECT set_config('lock_timeout', $1, false)`, [`${Math.max(1, Math.round(waitMs))}ms`]);
        try {
          await client.query('SELECT pg_advisory_lock($1, $2)', [this.store.scopeLockKey, this.scopeId]);
        } catch (error) {
          if ((error as { code?: unknown }).code === '55P03') {
            throw new StoreError(
              `another ${options.holder ?? `sync of ${this.key.source} ${this.key.scope} at ${this.key.site}`} is running on the store at ${this.file} (waited ${waitMs} ms); retry when it has finished`,
              this.file,
              { cause: error },
            );
          }
          throw error;
        }
        locked = true;
        return await fn();
      } finally {
        if (locked) {
          await client.query('SELECT pg_advisory_unlock($1, $2)', [this.store.scopeLockKey, this.scopeId]).then(
            () => client.release(),
            (error: Error) => client.release(error),
          );
        } else {
          client.release();
        }
      }
    });
  }

  clear(): Promise<void> {
    return this.write(async (q) => {
      // Compiled forms first: the trigger then finds nothing to delete for each document.
      for (const table of ['compiled', 'docs', 'state', 'snapshots', 'verdicts']) {
        await q.query(`DELETE FROM ${this.t(table)} WHERE scope_id = $1`, [this.scopeId]);
      }
    });
  }

  getDocs(kind: string, ids: readonly string[]): Promise<StoredDoc[]> {
    return this.call(async (q) => {
      const result = await q.query<{ id: string; version: string | null; body: string }>(
        `SELECT id, version, body FROM ${this.t('docs')} WHERE scope_id = $1 AND kind = $2 AND id = ANY($3::text[]) ORDER BY id`,
        [this.scopeId, kind, [...new Set(ids)]],
      );
      return result.rows.map(parseDoc);
    });
  }

  staleCompiled(kind: string, fingerprint: string): Promise<string[]> {
    return this.call(async (q) => {
      const result = await q.query<{ id: string }>(
        `SELECT d.id FROM ${this.t('docs')} d
         LEFT JOIN ${this.t('compiled')} c ON c.scope_id = d.scope_id AND c.kind = d.kind AND c.id = d.id AND c.fingerprint = $1
         WHERE d.scope_id = $2 AND d.kind = $3 AND c.id IS NULL ORDER BY d.id`,
        [fingerprintKey(fingerprint), this.scopeId, kind],
      );
      return result.rows.map((row) => row.id);
    });
  }

  async putCompiled(kind: string, fingerprint: string, docs: readonly CompiledDoc[]): Promise<void> {
    const key = fingerprintKey(fingerprint);
    const rows = lastById(docs).map((doc) => {
      const body = jsonText(doc.body, `compiled ${kind} ${JSON.stringify(doc.id)}`, this.file);
      return { id: doc.id, body, checksum: checksumOf(body) };
    });
    return this.write(async (q) => {
      for (const part of chunks(rows)) {
        await q.query(
          `INSERT INTO ${this.t('compiled')} (scope_id, kind, id, fingerprint, body, checksum)
           SELECT $1, $2, c.id, $3, c.body, c.checksum FROM unnest($4::text[], $5::text[], $6::bytea[]) AS c (id, body, checksum)
           WHERE EXISTS (SELECT 1 FROM ${this.t('docs')} d WHERE d.scope_id = $1 AND d.kind = $2 AND d.id = c.id)
           ON CONFLICT (scope_id, kind, id) DO UPDATE SET fingerprint = excluded.fingerprint, body = excluded.body, checksum = excluded.checksum`,
          [this.scopeId, kind, key, part.map((row) => row.id), part.map((row) => row.body), part.map((row) => row.checksum)],
        );
      }
    });
  }

  listCompiled<R = unknown>(kind: string, fingerprint: string, read: (body: unknown, id: string) => R = (body) => body as R): Promise<CompiledDocs<R>> {
    const key = fingerprintKey(fingerprint);
    const readPages = async (q: Executor): Promise<CompiledDocs<R>> => {
      const docs: { id: string; body: R }[] = [];
      const corrupt: string[] = [];
      // Page by page (by id): only one page of bodies is in memory besides what `read` keeps.
      let after = '';
      for (;;) {
        const page = await q.query<{ id: string; body: string; checksum: Buffer }>(
          `SELECT id, body, checksum FROM ${this.t('compiled')} WHERE scope_id = $1 AND kind = $2 AND fingerprint = $3 AND id > $4 ORDER BY id LIMIT ${BATCH}`,
          [this.scopeId, kind, key, after],
        );
        for (const row of page.rows) {
          if (checksumMatches(row.body, row.checksum)) docs.push({ id: row.id, body: read(JSON.parse(row.body) as unknown, row.id) });
          else corrupt.push(row.id);
        }
        const last = page.rows.at(-1);
        if (last === undefined || page.rows.length < BATCH) return { docs, corrupt };
        after = last.id;
      }
    };
    return this.store.track(() => (this.executor instanceof TransactionExecutor ? readPages(this.executor) : this.executor.atomic(readPages, true)));
  }

  async putOutcomes(rows: readonly OutcomeRow[]): Promise<number> {
    const texts = rows.map((row) => ({ kind: row.kind, id: row.id, body: jsonText(row.body, `outcome ${JSON.stringify(row.id)}`, this.file) }));
    return this.write(async (q) => {
      let changed = 0;
      for (const row of texts) {
        // The WHERE leaves an equal record alone, so the count is what an import really added or changed.
        const result = await q.query(
          `INSERT INTO ${this.t('outcomes')} AS outcomes (scope_id, kind, id, body) VALUES ($1, $2, $3, $4)
           ON CONFLICT (scope_id, kind, id) DO UPDATE SET body = excluded.body WHERE outcomes.body IS DISTINCT FROM excluded.body`,
          [this.scopeId, row.kind, row.id, row.body],
        );
        changed += result.rowCount ?? 0;
      }
      return changed;
    });
  }

  deleteOutcomes(kind: string, ids: readonly string[]): Promise<number> {
    return this.write(async (q) => {
      const result = await q.query(`DELETE FROM ${this.t('outcomes')} WHERE scope_id = $1 AND kind = $2 AND id = ANY($3::text[])`, [this.scopeId, kind, [...new Set(ids)]]);
      return result.rowCount ?? 0;
    });
  }

  listOutcomes(kinds?: readonly string[]): Promise<OutcomeRow[]> {
    return this.call(async (q) => {
      const result = await q.query<{ kind: string; id: string; body: string }>(
        kinds === undefined
          ? `SELECT kind, id, body FROM ${this.t('outcomes')} WHERE scope_id = $1 ORDER BY kind, id`
          : `SELECT kind, id, body FROM ${this.t('outcomes')} WHERE scope_id = $1 AND kind = ANY($2::text[]) ORDER BY kind, id`,
        kinds === undefined ? [this.scopeId] : [this.scopeId, [...kinds]],
      );
      return result.rows.map((row) => ({ kind: row.kind, id: row.id, body: JSON.parse(row.body) as unknown }));
    });
  }

  private docRows(kind: string, docs: readonly StoredDoc[]): { id: string; version: string | null; body: string }[] {
    return lastById(docs).map((doc) => ({ id: doc.id, version: doc.version, body: jsonText(doc.body, `${kind} ${JSON.stringify(doc.id)}`, this.file) }));
  }

  /** One statement per batch: the documents travel as three array parameters. */
  private async upsert(q: Executor, kind: string, rows: readonly { id: string; version: string | null; body: string }[]): Promise<void> {
    for (const part of chunks(rows)) {
      await q.query(
        `INSERT INTO ${this.t('docs')} AS docs (scope_id, kind, id, version, body)
         SELECT $1, $2, d.id, d.version, d.body FROM unnest($3::text[], $4::text[], $5::text[]) AS d (id, version, body)
         ON CONFLICT (scope_id, kind, id) DO UPDATE SET version = excluded.version, body = excluded.body
         WHERE docs.version IS DISTINCT FROM excluded.version OR docs.body IS DISTINCT FROM excluded.body`,
        [this.scopeId, kind, part.map((row) => row.id), part.map((row) => row.version), part.map((row) => row.body)],
      );
    }
  }
}
