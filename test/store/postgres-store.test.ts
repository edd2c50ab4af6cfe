import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openPostgresStore, StoreError } from '@agile-kpi/store';
import { startTestPostgres, type TestPostgres } from './test-postgres';

let pg: TestPostgres;
beforeAll(async () => {
  pg = await startTestPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

describe('migrations', () => {
  it('are recorded in schema_migrations, applied once however many processes open the store at the same moment', async () => {
    const schema = pg.freshSchema();
    const stores = await Promise.all([1, 2, 3, 4].map(() => openPostgresStore(pg.url, { schema })));
    expect(stores.map((store) => store.schemaVersion)).toEqual([3, 3, 3, 3]);
    await Promise.all(stores.map((store) => store.close()));
    const again = await openPostgresStore(pg.url, { schema });
    await again.close();
    const rows = await pg.sql<{ version: number; description: string }>(`SELECT version, description FROM "${schema}".schema_migrations ORDER BY version`);
    expect(rows.map((row) => row.version)).toEqual([1, 2, 3]);
    expect(rows[2]?.description).toMatch(/^customer outcomes/);
  });

  it('refuse a schema written by a newer agile-kpi, and leave it as it is', async () => {
    const schema = pg.freshSchema();
    await (await openPostgresStore(pg.url, { schema })).close();
    await pg.sql(`INSERT INTO "${schema}".schema_migrations (version, description) VALUES (4, 'from the future')`);
    const opening = openPostgresStore(pg.url, { schema });
    await expect(opening).rejects.toThrow(StoreError);
    await expect(opening).rejects.toThrow('was written by a newer agile-kpi (schema 4; this version reads up to 3)');
    expect((await pg.sql(`SELECT version FROM "${schema}".schema_migrations`)).length).toBe(4);
  });
});

describe('errors', () => {
  it('name the store without its password and say what to fix', async () => {
    const url = new URL(pg.url);
    url.password = 'wrong-secret';
    const opening = openPostgresStore(url.toString(), { schema: pg.freshSchema() });
    await expect(opening).rejects.toThrow(StoreError);
    const message = await opening.then(
      () => '',
      (error: Error) => error.message,
    );
    expect(message).toContain('refused the user or password');
    expect(message).toContain(':***@');
    expect(message).not.toContain('wrong-secret');
  });

  it('say when the server cannot be reached', async () => {
    // Port 1 on loopback: nothing listens there.
    await expect(openPostgresStore('postgres://u:secret@127.0.0.1:1/db')).rejects.toThrow(
      'cannot reach the PostgreSQL server of the store at postgres://u:***@127.0.0.1:1/db',
    );
  });

  it('refuse a schema name that is not a plain identifier', async () => {
    await expect(openPostgresStore(pg.url, { schema: 'a"; DROP TABLE x; --' })).rejects.toThrow('a store schema is lower-case letters');
  });
});

/** A page writer (./__fixtures__/page-writer.ts) in a process of its own, its stdout lines as they come. */
function writer(schema: string, board: string, issues: number, holder?: string) {
  const args = ['-r', '@swc-node/register', join(__dirname, '__fixtures__', 'page-writer.ts'), pg.url, schema, board, String(issues)];
  const env = holder === undefined ? process.env : { ...process.env, GO: '1', PAGE_DELAY_MS: '40' };
  const child = spawn(process.execPath, holder === undefined ? args : [...args, holder], { stdio: ['pipe', 'pipe', 'pipe'], env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines: string[] = [];
  const listeners = new Set<(line: string) => void>();
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line);
    for (const listener of listeners) listener(line);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; lines: string[] }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stderr, lines })),
  );
  // A writer that dies before it is ready counts as ready, so that the test reports its exit instead of waiting.
  const ready = new Promise<void>((resolve) => {
    listeners.add((line) => line === 'ready' && resolve());
    void exited.then(() => resolve());
  });
  child.stdin.on('error', () => undefined);
  return {
    exited,
    /** With a holder: resolves once the writer has opened the store and waits for `go`. */
    ready,
    go(): void {
      if (child.exitCode === null) child.stdin.write('go\n');
    },
    /** Kills the writer with SIGKILL `afterMs` after it printed `line` (in the middle of what comes next). */
    killAfter(line: string, afterMs: number): void {
      listeners.add((printed) => {
        if (printed === line) setTimeout(() => child.kill('SIGKILL'), afterMs);
      });
    },
  };
}

/** Everything the store holds for a board, as rows without the store's own ids (scope ids, insertion numbers). */
async function dump(schema: string, board: string): Promise<unknown> {
  const s = `"${schema}"`;
  const scope = `(SELECT scope_id FROM ${s}.scopes WHERE scope = $1)`;
  return {
    docs: await pg.sql(`SELECT kind, id, version, body FROM ${s}.docs WHERE scope_id = ${scope} ORDER BY kind, id`, [board]),
    compiled: await pg.sql(`SELECT kind, id, fingerprint, body, checksum FROM ${s}.compiled WHERE scope_id = ${scope} ORDER BY kind, id`, [board]),
    state: await pg.sql(`SELECT name, value FROM ${s}.state WHERE scope_id = ${scope} ORDER BY name`, [board]),
    snapshots: await pg.sql(`SELECT kind, entity_id, field, value, taken_at FROM ${s}.snapshots WHERE scope_id = ${scope} ORDER BY taken_at, seq`, [board]),
  };
}

describe('exclusive', () => {
  it('a second holder waits, then gives up naming what holds the lock: a sync of the scope, or the holder it was told', async () => {
    const store = await openPostgresStore(pg.url, { schema: pg.freshSchema() });
    try {
      const board = await store.scope({ source: 'jira', site: 'https://acme.atlassian.net', scope: '42' });
      const reports = await store.scope({ source: 'agile-kpi', site: 'local', scope: 'reports' });
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const holders = [board.exclusive(() => held), reports.exclusive(() => held)];
      // Each lock is taken on a connection of its own; a second one on the same scope waits 200 ms, then fails.
      await new Promise((r) => setTimeout(r, 200));
      const secondSync = board.exclusive(async () => 'ran', { waitMs: 200 });
      await expect(secondSync).rejects.toThrow(StoreError);
      await expect(secondSync).rejects.toThrow(/^another sync of jira 42 at https:\/\/acme\.atlassian\.net is running on the store at postgres:\/\/.* \(waited 200 ms\); retry when it has finished$/);
      await expect(reports.exclusive(async () => 'ran', { waitMs: 200, holder: 'sending of a report' })).rejects.toThrow(/^another sending of a report is running on the store at /);
      release();
      await Promise.all(holders);
      // Released: the next one runs.
      expect(await board.exclusive(async () => 'ran', { waitMs: 200 })).toBe('ran');
    } finally {
      await store.close();
    }
  });
});

describe('a sync killed with kill -9', () => {
  const ISSUES = 600; // 12 pages of 50

  it('leaves the store consistent at any point, and the next run completes it: the same store as a clean sync', async () => {
    const clean = pg.freshSchema();
    const killed = pg.freshSchema();
    const cleanRun = writer(clean, '7', ISSUES);

    // Kill points: a random 0-30 ms after the lock is taken (before the first page commits), after a random page
    // (1..11), after the last page (in the final transaction).
    const points = ['locked', ...Array.from({ length: 3 }, () => `page ${1 + Math.floor(Math.random() * 11)}`), 'page 12'];
    const record: string[] = [];
    for (const point of points) {
      const run = writer(killed, '7', ISSUES);
      const afterMs = Math.floor(Math.random() * 30);
      run.killAfter(point, afterMs);
      const result = await run.exited;
      record.push(`killed ${afterMs} ms after ${point}: ${result.signal ?? result.code} (${result.lines.join(', ')})`);
      if (result.signal !== 'SIGKILL') {
        // The writer finished before the kill landed: nothing to prove at this point, but nothing wrong either.
        expect(result.code).toBe(0);
        continue;
      }
      // Whatever was committed is whole pages (the staged documents are exactly the pages the cursor says, none
      // when no sync is under way) and a whole final transaction (all issues promoted, or none yet).
      const cursor = (await pg.sql<{ value: string }>(
        `SELECT value FROM "${killed}".state WHERE name = 'cursor' AND scope_id = (SELECT scope_id FROM "${killed}".scopes WHERE scope = '7')`,
      ))[0];
      const staged = await pg.sql<{ n: number }>(`SELECT count(*)::integer AS n FROM "${killed}".docs WHERE kind = 'staged-issue'`);
      const promoted = await pg.sql<{ n: number }>(`SELECT count(*)::integer AS n FROM "${killed}".docs WHERE kind = 'issue'`);
      expect(staged[0]?.n).toBe(Math.min(ISSUES, 50 * Number(cursor?.value ?? 0)));
      expect([0, ISSUES]).toContain(promoted[0]?.n);
    }
    const last = await writer(killed, '7', ISSUES).exited;
    expect({ code: last.code, stderr: last.stderr, record }).toEqual({ code: 0, stderr: '', record });
    expect(last.lines.at(-1)).toBe('done');
    expect((await cleanRun.exited).code).toBe(0);

    const resumed = await dump(killed, '7');
    expect(resumed).toEqual(await dump(clean, '7'));
    expect((resumed as { docs: unknown[] }).docs.length).toBe(ISSUES + 3);
  });

  it('two syncs of the same board from two processes never interleave; syncs of different boards run side by side', async () => {
    const schema = pg.freshSchema();
    const runs = [writer(schema, '7', 300, 'first'), writer(schema, '7', 300, 'second'), writer(schema, '8', 300, 'other board')];
    // Let go together, each page 40 ms longer: without the lock the two syncs of board 7 would overlap for certain.
    await Promise.all(runs.map((run) => run.ready));
    for (const run of runs) run.go();
    const results = await Promise.all(runs.map((run) => run.exited));
    // Exit 3 would mean a writer saw another one's pages in the middle of its own sync.
    expect(results.map((result) => [result.code, result.stderr, result.lines.at(-1)])).toEqual([
      [0, '', 'done'],
      [0, '', 'done'],
      [0, '', 'done'],
    ]);
    const board7 = (await dump(schema, '7')) as { docs: unknown[] };
    const board8 = (await dump(schema, '8')) as { docs: unknown[] };
    expect(board7.docs.length).toBe(303);
    expect(board8.docs.length).toBe(303);
  });
});
