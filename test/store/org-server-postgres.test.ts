import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsReport } from '@agile-kpi/core';
import { type SimulatedAzureDevOps, type SimulatedJira, simulateTeam, startSimulatedAzureDevOps, startSimulatedJira } from '@agile-kpi/testkit';
import { dashboardWebRoot } from '../../packages/cli/src/commands/serve';
import type { Io } from '../../packages/cli/src/io';
import { loadOrgConfig } from '../../packages/cli/src/org/org-config';
import { type OrgServer, startOrgServer } from '../../packages/cli/src/org/org-server';
import type { PortfolioRow } from '../../packages/cli/src/org/portfolio';
import { startTestPostgres, type TestPostgres } from './test-postgres';

/**
 * The organisation server on a shared PostgreSQL store (`store: postgres://…` in org.yml): a Jira board and an
 * Azure DevOps team synced by the server into PostgreSQL give the same portfolio and the same reports as the same
 * teams synced into SQLite; a sprint goal verdict and an uploaded survey file are kept in PostgreSQL and read back.
 */
const sprintsFrom = new Date(Date.now() - 160 * 86_400_000).toISOString().slice(0, 10);
const board = simulateTeam({ seed: 42, start: sprintsFrom });
const team = simulateTeam({ seed: 11, sprintCalendar: 'dates', start: sprintsFrom });

let pg: TestPostgres;
let jira: SimulatedJira;
let ado: SimulatedAzureDevOps;
let dir: string;
let onPostgres: OrgServer;
let onSqlite: OrgServer;

async function start(store: string): Promise<OrgServer> {
  const file = join(dir, `org-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(
    file,
    `store: "${store}"
teams:
  - { id: board, tags: [tribe:a], jira: { site: ${jira.url}, board: 1 } }
  - { id: team, tags: [tribe:b], azure-devops: { org: ${ado.url}, project: SIM, team: SIM Team }, time-zone: ${team.snapshot.team.timeZone} }
`,
  );
  const io: Io = { stdout: { write: () => true }, stderr: { write: () => true }, isTTY: false, env: { JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, AZURE_DEVOPS_PAT: ado.pat } };
  return startOrgServer({ ...loadOrgConfig(file, io), port: 0 }, { webRoot: dashboardWebRoot(), io, log: () => {}, syncOnStart: 'missing' });
}

const json = async <T>(server: OrgServer, path: string, init?: RequestInit): Promise<T> => {
  const r = await fetch(`${server.url}${path}`, init);
  const body = (await r.json()) as { ok: boolean; data: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${path}: ${body.error?.message}`);
  return body.data;
};

beforeAll(async () => {
  [pg, jira, ado] = await Promise.all([startTestPostgres(), startSimulatedJira({ teams: [board] }), startSimulatedAzureDevOps({ teams: [team], process: 'agile' })]);
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-org-pg-'));
  const url = new URL(pg.url);
  url.searchParams.set('schema', pg.freshSchema());
  onPostgres = await start(url.toString());
  onSqlite = await start(join(dir, 'store.sqlite'));
}, 180_000);

afterAll(async () => {
  await Promise.all([onPostgres?.close(), onSqlite?.close()]);
  await Promise.all([jira?.close(), ado?.close(), pg?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('syncs into PostgreSQL and serves the portfolio and the reports SQLite gives', async () => {
  const [pgTeams, sqliteTeams] = await Promise.all([json<{ teams: PortfolioRow[] }>(onPostgres, '/api/teams'), json<{ teams: PortfolioRow[] }>(onSqlite, '/api/teams')]);
  expect(pgTeams.teams.map((t) => [t.id, t.problem, t.kpis !== null])).toEqual([
    ['board', null, true],
    ['team', null, true],
  ]);
  // The rows hold each team's last sync instant, different per store: everything else is the same.
  const strip = (rows: PortfolioRow[]) => rows.map(({ lastSyncAt, asOf, kpis, ...rest }) => ({ ...rest, figures: Object.values(kpis ?? {}).map((c) => [c.figure, c.light]) }));
  expect(strip(pgTeams.teams)).toEqual(strip(sqliteTeams.teams));
  for (const id of ['board', 'team']) {
    const [a, b] = await Promise.all([json<{ report: MetricsReport }>(onPostgres, `/api/teams/${id}/metrics`), json<{ report: MetricsReport }>(onSqlite, `/api/teams/${id}/metrics`)]);
    // As of each store's own last sync (seconds apart): the active sprint ends "now"; the closed ones are the same.
    expect(a.report.velocity.value).toEqual(b.report.velocity.value);
    const closed = (r: MetricsReport) => r.velocity.details.sprints.filter((x) => x.state === 'closed');
    expect(closed(a.report)).toEqual(closed(b.report));
    expect(a.report.releasePredictability.value).toEqual(b.report.releasePredictability.value);
    expect(a.report.flow.value).toEqual(b.report.flow.value);
  }
});

it("keeps a team's verdicts and uploaded survey responses in PostgreSQL", async () => {
  const { report } = await json<{ report: MetricsReport }>(onPostgres, '/teams/board/api/metrics');
  const sprint = report.sprintGoalRate.details.sprints.at(-1)!;
  const post = (path: string, body: unknown) => ({ method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), path });
  const v = post('/teams/board/api/verdicts', { sprintId: sprint.sprintId, outcome: 'missed', note: 'the payment provider slipped' });
  const after = await json<{ report: MetricsReport }>(onPostgres, v.path, v);
  expect(after.report.sprintGoalRate.details.sprints.find((s) => s.sprintId === sprint.sprintId)).toMatchObject({ outcome: 'missed', rule: 'verdict' });
  // Ten ratings last month, 7 of them 4 or 5.
  const month = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() - 1, 10)).toISOString().slice(0, 7);
  const text = ['date,score', ...[5, 5, 4, 4, 4, 3, 2, 5, 4, 1].map((s, i) => `${month}-${String(10 + i)},${s}`)].join('\n');
  const u = post('/teams/board/api/outcomes', { kind: 'csat', name: 'survey.csv', text });
  expect(await json<{ imported: boolean; message: string }>(onPostgres, u.path, u)).toMatchObject({ imported: true });
  const again = await json<{ message: string }>(onPostgres, u.path, u);
  expect(again.message).toMatch(/0 new records; 10 already imported/);
  const read = await json<{ report: MetricsReport }>(onPostgres, '/api/teams/board/metrics');
  expect(read.report.customerSatisfaction.value?.csat).toMatchObject({ share: 0.7, responses: 10 });
  // The portfolio row follows the verdict: the goal rate counts the missed sprint.
  const rows = (await json<{ teams: PortfolioRow[] }>(onPostgres, '/api/teams')).teams;
  expect(rows.find((r) => r.id === 'board')!.kpis!.sprintGoalRate.figure).toBe(read.report.sprintGoalRate.value!.rate);
});
