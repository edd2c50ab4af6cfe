import type { PoolClient } from 'pg';
import { StoreError } from '../store-error';

/**
 * One step of the PostgreSQL schema, the same three steps as the SQLite store's (`../migrations.ts`) in
 * PostgreSQL's words. Never edited once released: a change is a new step appended.
 */
export interface PostgresMigration {
  /** 1, 2, 3, ... with no gaps. */
  readonly version: number;
  readonly description: string;
  /** The statements, with `{s}` standing for the store's schema (quoted). */
  readonly sql: string;
}

// Every key column is COLLATE "C": the store's orders are byte orders ('10001' before '9999', 'Z' before 'a'),
// as SQLite's, whatever the database's default collation.
export const postgresMigrations: readonly PostgresMigration[] = [
  {
    version: 1,
    description: 'scopes, documents, state, date snapshots, sprint goal verdicts',
    sql: `
      CREATE TABLE {s}.scopes (
        scope_id bigserial PRIMARY KEY,
        source text COLLATE "C" NOT NULL,
        site text COLLATE "C" NOT NULL,
        scope text COLLATE "C" NOT NULL,
        UNIQUE (source, site, scope)
      );
      CREATE TABLE {s}.docs (
        scope_id bigint NOT NULL REFERENCES {s}.scopes (scope_id) ON DELETE CASCADE,
        kind text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        version text,
        body text NOT NULL,
        PRIMARY KEY (scope_id, kind, id)
      );
      CREATE TABLE {s}.state (
        scope_id bigint NOT NULL REFERENCES {s}.scopes (scope_id) ON DELETE CASCADE,
        name text COLLATE "C" NOT NULL,
        value text NOT NULL,
        PRIMARY KEY (scope_id, name)
      );
      -- seq is the insertion order that breaks ties between snapshots taken at the same instant.
      CREATE TABLE {s}.snapshots (
        seq bigserial PRIMARY KEY,
        scope_id bigint NOT NULL REFERENCES {s}.scopes (scope_id) ON DELETE CASCADE,
        kind text COLLATE "C" NOT NULL,
        entity_id text COLLATE "C" NOT NULL,
        field text COLLATE "C" NOT NULL,
        value text NOT NULL,
        taken_at text COLLATE "C" NOT NULL
      );
      CREATE INDEX snapshots_latest ON {s}.snapshots (scope_id, kind, entity_id, field, taken_at, seq);
      CREATE INDEX snapshots_timeline ON {s}.snapshots (scope_id, kind, taken_at, seq);
      CREATE TABLE {s}.verdicts (
        scope_id bigint NOT NULL REFERENCES {s}.scopes (scope_id) ON DELETE CASCADE,
        sprint_id text COLLATE "C" NOT NULL,
        outcome text NOT NULL CHECK (outcome IN ('met', 'partly', 'missed')),
        decided_by text NOT NULL,
        decided_at text NOT NULL,
        note text,
        PRIMARY KEY (scope_id, sprint_id)
      );
    `,
  },
  {
    version: 2,
    description: 'compiled documents: the neutral model each raw document maps to, checked, kept next to it',
    sql: `
      CREATE TABLE {s}.compiled (
        scope_id bigint NOT NULL REFERENCES {s}.scopes (scope_id) ON DELETE CASCADE,
        kind text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        fingerprint text COLLATE "C" NOT NULL,
        body text NOT NULL,
        checksum bytea NOT NULL,
        PRIMARY KEY (scope_id, kind, id)
      );
      CREATE INDEX compiled_fingerprints ON {s}.compiled (scope_id, kind, fingerprint, id);
      -- A raw document that changes or goes takes its compiled form with it, whoever writes it (an upsert that
      -- finds the same body does not update the row, so no trigger fires and the compiled form stays).
      CREATE FUNCTION {s}.docs_uncompile() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM {s}.compiled WHERE scope_id = OLD.scope_id AND kind = OLD.kind AND id = OLD.id;
        RETURN NULL;
      END
      $$;
      CREATE TRIGGER docs_uncompile AFTER UPDATE OR DELETE ON {s}.docs FOR EACH ROW EXECUTE FUNCTION {s}.docs_uncompile();
    `,
  },
  {
    version: 3,
    description: 'customer outcomes: survey responses, feature usage and benefits, imported or read from a service desk',
    sql: `
      CREATE TABLE {s}.outcomes (
        scope_id bigint NOT NULL REFERENCES {s}.scopes (scope_id) ON DELETE CASCADE,
        kind text COLLATE "C" NOT NULL,
        id text COLLATE "C" NOT NULL,
        body text NOT NULL,
        PRIMARY KEY (scope_id, kind, id)
      );
    `,
  },
];

/**
 * Brings the schema to the latest version in one transaction, under a transaction-scoped advisory lock so that
 * several agile-kpi processes starting at once migrate it once: the others wait, then find nothing to do.
 * `schema_migrations` records each applied step. Returns the schema version.
 */
export async function migratePostgres(
  client: PoolClient,
  schema: string,
  lockKey: number,
  where: string,
  list: readonly PostgresMigration[] = postgresMigrations,
): Promise<number> {
  list.forEach((migration, index) => {
    if (migration.version !== index + 1) throw new Error(`migration list is not 1, 2, 3, ...: position ${index} has version ${migration.version}`);
  });
  const s = quoteIdentifier(schema);
  await client.query('BEGIN');
  try {
    // Key (lockKey, 0): scope locks use (lockKey, scope_id), and scope ids start at 1.
    await client.query('SELECT pg_advisory_xact_lock($1, 0)', [lockKey]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (
         version integer PRIMARY KEY,
         description text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const found = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${s}.schema_migrations`);
    const current = found.rows[0]?.version ?? 0;
    if (current > list.length) {
      throw new StoreError(
        `the store at ${where} was written by a newer agile-kpi (schema ${current}; this version reads up to ${list.length}); upgrade agile-kpi or use another --store`,
        where,
      );
    }
    for (const migration of list.slice(current)) {
      await client.query(migration.sql.replaceAll('{s}', s));
      await client.query(`INSERT INTO ${s}.schema_migrations (version, description) VALUES ($1, $2)`, [migration.version, migration.description]);
    }
    await client.query('COMMIT');
    return list.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Schema names are checked (lower-case letters, digits, underscores) before they reach SQL; quoted anyway. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
