import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SimulatedAzureDevOps, type SimulatedJira, simulateTeam, startSimulatedAzureDevOps, startSimulatedJira } from '@agile-kpi/testkit';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { MetricsReport } from '@agile-kpi/core';
import { runServe } from '../../packages/cli/src/commands/serve';
import { ROOT, agileKpiAsync, buildOnce } from '../cli/built-cli';
import { startTestPostgres, type TestPostgres } from './test-postgres';

/**
 * The built command's `sync` and `metrics` on the PostgreSQL store (`--store postgres://…`, AGILE_KPI_STORE), as a
 * user runs them, against a simulated Jira board and a simulated Azure DevOps team: the figures equal the SQLite
 * store's byte for byte, and a sync killed with kill -9 at any point is completed by the next one, on both stores.
 */
const jiraTeam = simulateTeam({ seed: 42 });
const adoTeam = simulateTeam({ seed: 42, sprintCalendar: 'dates' });
let pg: TestPostgres;
let jira: SimulatedJira;
let ado: SimulatedAzureDevOps;
let dir: string;
let jiraEnv: Record<string, string>;
let adoEnv: Record<string, string>;

beforeAll(async () => {
  buildOnce();
  [pg, jira, ado] = await Promise.all([startTestPostgres(), startSimulatedJira({ teams: [jiraTeam], pageCaps: { search: 25, bulkfetch: 40 } }), startSimulatedAzureDevOps({ teams: [adoTeam], process: 'agile' })]);
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-cli-pg-'));
  jiraEnv = { JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken };
  adoEnv = { AZURE_DEVOPS_ORG_URL: ado.url, AZURE_DEVOPS_PAT: ado.pat };
}, 120_000);
afterAll(async () => {
  await Promise.all([jira?.close(), ado?.close(), pg?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A PostgreSQL store of its own: the test server's url with a fresh schema. */
function postgresStore(): string {
  const url = new URL(pg.url);
  url.searchParams.set('schema', pg.freshSchema());
  return url.toString();
}

let files = 0;
function sqliteStore(): string {
  return join(dir, `store-${++files}.sqlite`);
}

type Tracker = 'jira' | 'azure-devops';
const target = (tracker: Tracker): string[] =>
  tracker === 'jira' ? ['--source', 'jira', '--board', '1'] : ['--source', 'azure-devops', '--project', 'SIM', '--team', 'SIM Team'];
const envOf = (tracker: Tracker, store: string): Record<string, string> => ({ ...(tracker === 'jira' ? jiraEnv : adoEnv), AGILE_KPI_STORE: store });
const asOf = (tracker: Tracker): string => (tracker === 'jira' ? jiraTeam : adoTeam).snapshot.asOf;
const zone = (tracker: Tracker): string => (tracker === 'jira' ? jiraTeam : adoTeam).snapshot.team.timeZone;

async function sync(tracker: Tracker, store: string): Promise<void> {
  const r = await agileKpiAsync(['sync', ...target(tracker)], envOf(tracker, store));
  expect(r.stderr).toMatch(/^synced /m);
  expect(r.code).toBe(0);
}

/** A fresh PostgreSQL store and a fresh SQLite file, each synced from the same simulated tracker. */
async function syncedPair(tracker: Tracker): Promise<{ postgres: string; sqlite: string }> {
  const postgres = postgresStore();
  const sqlite = sqliteStore();
  await sync(tracker, postgres);
  await sync(tracker, sqlite);
  return { postgres, sqlite };
}

/** `metrics --offline --format json`: the whole report, evidence included, from the store as it is. */
async function offlineMetrics(tracker: Tracker, store: string): Promise<string> {
  const r = await agileKpiAsync(['metrics', ...target(tracker), '--offline', '--format', 'json', '--as-of', asOf(tracker), '--time-zone', zone(tracker)], envOf(tracker, store));
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe.each<Tracker>(['jira', 'azure-devops'])('%s into PostgreSQL', (tracker) => {
  it('sync, then metrics --offline --format json, gives the SQLite store\'s figures byte for byte; metrics syncs (incrementally) first', async () => {
    const { postgres, sqlite } = await syncedPair(tracker);
    const fromPostgres = await offlineMetrics(tracker, postgres);
    const fromSqlite = await offlineMetrics(tracker, sqlite);
    expect(fromPostgres.length).toBeGreaterThan(10_000);
    expect(fromPostgres).toBe(fromSqlite);

    // --store wins over AGILE_KPI_STORE, and metrics without --offline syncs what changed since (nothing).
    const again = await agileKpiAsync(['metrics', ...target(tracker), '--store', postgres, '--format', 'json', '--as-of', asOf(tracker), '--time-zone', zone(tracker)], envOf(tracker, sqliteStore()));
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/^synced .*\(incremental\)/m);
    expect(again.stdout).toBe(fromSqlite);
  }, 180_000);
});

/** The MCP server (`agile-kpi mcp`) on `store`: list_teams, then get_kpis of the one team, as an assistant asks. */
async function mcpAnswers(store: string): Promise<unknown[]> {
  const transport = new StdioClientTransport({ command: process.execPath, args: [join(ROOT, 'packages', 'cli', 'bin', 'agile-kpi.js'), 'mcp', '--store', store, '--time-zone', zone('jira')], env: { PATH: process.env['PATH'] ?? '' }, stderr: 'pipe' });
  const client = new Client({ name: 'agile-kpi-test', version: '1.0.0' });
  await client.connect(transport);
  try {
    const ask = async (name: string, args: Record<string, unknown>) => ((await client.callTool({ name, arguments: args })) as { structuredContent?: Record<string, unknown> }).structuredContent;
    const listed = (await ask('list_teams', {})) as { teams: { team: string; lastSyncAt: string | null }[] };
    expect(listed.teams).toHaveLength(1);
    const kpis = await ask('get_kpis', { team: listed.teams[0]!.team, asOf: asOf('jira') });
    return [listed.teams.map(({ lastSyncAt, ...t }) => ({ ...t, synced: lastSyncAt !== null })), kpis];
  } finally {
    await client.close();
  }
}

describe('verify and mcp on a PostgreSQL store', () => {
  it("answer as on the SQLite store: verify's sprints beside Jira's chart, mcp's teams and KPIs", async () => {
    const { postgres, sqlite } = await syncedPair('jira');
    const verify = (store: string) => agileKpiAsync(['verify', '--board', '1', '--offline', '--format', 'json', '--store', store], jiraEnv);
    const [fromPostgres, fromSqlite] = [await verify(postgres), await verify(sqlite)];
    expect(fromPostgres.stderr).toBe('');
    expect(fromPostgres.code).toBe(fromSqlite.code);
    expect((JSON.parse(fromPostgres.stdout) as { sprints: unknown[] }).sprints.length).toBeGreaterThan(3);
    expect(fromPostgres.stdout).toBe(fromSqlite.stdout);
    const answers = await mcpAnswers(postgres);
    expect(JSON.stringify(answers).length).toBeGreaterThan(1_000);
    expect(answers).toEqual(await mcpAnswers(sqlite));
  }, 120_000);
});

describe('a PostgreSQL url', () => {
  it('with a wrong password: the error names the store without the password', async () => {
    const url = new URL(postgresStore());
    url.password = 'not-the-secret-42';
    const r = await agileKpiAsync(['sync', ...target('jira')], envOf('jira', url.toString()));
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(':***@');
    expect(r.stderr).not.toContain('not-the-secret-42');
  });

  it('outcomes on a board never synced into it: the error names the PostgreSQL store, not its password', async () => {
    const url = new URL(postgresStore());
    const r = await agileKpiAsync(['outcomes', 'list', '--board', '1', '--store', url.toString()], jiraEnv);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^agile-kpi: Jira board 1 at http:\/\/127\.0\.0\.1:\d+ has not been synced into the PostgreSQL store yet: run agile-kpi sync --board 1 first/);
    if (url.password) expect(r.stderr).not.toContain(decodeURIComponent(url.password));
  });
});

// Ten CSAT ratings in May 2025 (the month before the simulated board's asOf, 2025-06-16): 5 5 4 4 4 3 2 5 4 1.
const CSAT = ['Date,Score', '2025-05-05,5', '2025-05-06,5', '2025-05-07,4', '2025-05-08,4', '2025-05-09,4', '2025-05-12,3', '2025-05-13,2', '2025-05-14,5', '2025-05-15,4', '2025-05-16,1'].join('\n');

describe('outcomes and serve --source on a PostgreSQL store', () => {
  it('outcomes import, settings, list and remove say what they say on SQLite, and metrics count the records', async () => {
    const { postgres, sqlite } = await syncedPair('jira');
    const survey = join(dir, 'survey.csv');
    writeFileSync(survey, CSAT);
    const run = async (store: string, ...args: string[]) => {
      const r = await agileKpiAsync(['outcomes', ...args, '--board', '1', '--store', store], jiraEnv);
      expect(r).toMatchObject({ code: 0, stderr: '' });
      return r.stdout;
    };
    const metrics = async (store: string) => JSON.parse((await agileKpiAsync(['metrics', ...target('jira'), '--offline', '--format', 'json', '--as-of', asOf('jira'), '--store', store], jiraEnv)).stdout) as MetricsReport;
    const said: Record<string, string[]> = {};
    for (const store of [postgres, sqlite]) {
      said[store] = [
        await run(store, 'import', survey, '--kind', 'csat'),
        await run(store, 'import', survey, '--kind', 'csat'),
        await run(store, 'settings', '--cost-per-sprint', '10000 EUR'),
        await run(store, 'list'),
      ];
    }
    expect(said[postgres]![0]).toBe('survey.csv -> Jira board 1 (csat): 10 new records; 0 already imported\n');
    expect(said[postgres]![1]).toBe('survey.csv -> Jira board 1 (csat): 0 new records; 10 already imported\n');
    expect(said[postgres]![3]).toMatch(/^ {2}csat +10 {2}2025-05-05 to 2025-05-16 {2}\(1 file imported: survey\.csv\)$/m);
    expect(said[postgres]).toEqual(said[sqlite]);
    const [fromPostgres, fromSqlite] = [await metrics(postgres), await metrics(sqlite)];
    expect(fromPostgres).toEqual(fromSqlite);
    // By hand: ratings 4 or 5 are 7 of 10 -> 0.7; the mean is 37 / 10 = 3.7.
    expect(fromPostgres.customerSatisfaction.value?.csat).toMatchObject({ share: 0.7, mean: 3.7, responses: 10 });
    expect(fromPostgres.roi.params).toMatchObject({ costPerSprint: 10_000, currency: 'EUR' });
    expect(await run(postgres, 'remove', '--kind', 'csat', '--file', 'survey.csv')).toBe('removed 10 csat records of survey.csv from Jira board 1\n');
    expect((await metrics(postgres)).customerSatisfaction.value).toBeNull();
  }, 120_000);

  it("serve --source serves the board from it as `metrics` computes it there, and keeps an upload in it", async () => {
    const postgres = postgresStore();
    await sync('jira', postgres);
    const io = { stdout: { write: () => true }, stderr: { write: () => true }, isTTY: false, env: jiraEnv };
    const served = async (upload?: string) => {
      let report: MetricsReport | undefined;
      let answer: unknown;
      await runServe({ source: 'jira', board: '1', store: postgres, offline: true, port: '0' }, io, async (url) => {
        if (upload !== undefined) {
          answer = await (await fetch(`${url}/api/outcomes`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'csat', name: 'survey.csv', text: upload }) })).json();
        }
        report = ((await (await fetch(`${url}/api/metrics`)).json()) as { data: { report: MetricsReport } }).data.report;
      });
      return { report: report!, answer };
    };
    // Both read the store's last sync as their instant: the same report, to the byte.
    const metrics = await agileKpiAsync(['metrics', ...target('jira'), '--offline', '--format', 'json', '--store', postgres], jiraEnv);
    const fromServe = await served();
    expect(fromServe.report.velocity.value).not.toBeNull();
    expect(fromServe.report).toEqual(JSON.parse(metrics.stdout));
    // The settings' upload goes into the PostgreSQL store: the CLI lists it there afterwards.
    expect((await served(CSAT)).answer).toMatchObject({ ok: true, data: { added: 10 } });
    const list = await agileKpiAsync(['outcomes', 'list', '--board', '1', '--store', postgres], jiraEnv);
    expect(list.stdout).toMatch(/^ {2}csat +10 /m);
  }, 120_000);
});

/**
 * The built CLI's sync killed with SIGKILL after a given number of tracker requests (slowed down so that it is in the
 * middle of something), on each store: the next sync completes it, and the figures equal a clean sync's.
 */
describe.each<[Tracker, 'sqlite' | 'postgres']>([
  ['jira', 'sqlite'],
  ['jira', 'postgres'],
  ['azure-devops', 'sqlite'],
  ['azure-devops', 'postgres'],
])('kill -9 while %s syncs into %s', (tracker, kind) => {
  const server = () => (tracker === 'jira' ? jira : ado);
  const store = () => (kind === 'postgres' ? postgresStore() : sqliteStore());

  it('the next sync completes it: the same figures as a clean sync', async () => {
    server().requests.reset();
    const clean = store();
    await sync(tracker, clean);
    const requests = server().requests.count();
    const expected = await offlineMetrics(tracker, clean);
    expect(requests).toBeGreaterThan(6);
    // Early (discovery, first pages), half-way, and near the end (the last pages, the final commit).
    for (const at of [3, Math.floor(requests / 2), requests - 1]) {
      const killed = store();
      server().setFaults({ latencyMs: { default: 10 } });
      try {
        await killAfter(tracker, killed, at);
      } finally {
        server().setFaults({});
      }
      await sync(tracker, killed);
      expect(await offlineMetrics(tracker, killed)).toBe(expected);
    }
  }, 240_000);
});

/** Runs `sync` into `store` and kills it (SIGKILL) once the tracker has answered `requests` more requests. */
async function killAfter(tracker: Tracker, store: string, requests: number): Promise<void> {
  const server = tracker === 'jira' ? jira : ado;
  const start = server.requests.count();
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, 'packages', 'cli', 'bin', 'agile-kpi.js'), 'sync', ...target(tracker)], {
    env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1', ...envOf(tracker, store) },
    stdio: 'ignore',
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (server.requests.count() - start >= requests) {
        clearInterval(timer);
        child.kill('SIGKILL');
      }
    }, 2);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`the sync finished (${code}) before it was killed after ${requests} requests`));
    });
  });
}
