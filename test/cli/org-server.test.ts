import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsReport } from '@agile-kpi/core';
import { kpiHeadlines, kpiLights } from '@agile-kpi/presentation';
import { type SimulatedAzureDevOps, type SimulatedJira, simulateTeam, startSimulatedAzureDevOps, startSimulatedJira } from '@agile-kpi/testkit';
import { dashboardWebRoot } from '../../packages/cli/src/commands/serve';
import type { Io } from '../../packages/cli/src/io';
import { main } from '../../packages/cli/src/main';
import { loadOrgConfig } from '../../packages/cli/src/org/org-config';
import { type OrgServer, startOrgServer } from '../../packages/cli/src/org/org-server';
import type { PortfolioRollup, PortfolioRow } from '../../packages/cli/src/org/portfolio';
import { openTeamStore } from '../../packages/cli/src/team-store';

/**
 * The organisation server with three teams — two Jira boards and an Azure DevOps team, from the simulated
 * trackers on loopback — synced by the server into one store: the portfolio page and its API give each team's
 * figures as `agile-kpi metrics` gives them, the roll-ups add up only what adds up, each team's dashboard is
 * mounted under /teams/<id>/, and who may see what is the file's. Credentials never appear in an answer or a log.
 */
// The server computes as of now: the teams' twelve sprints end in the days ahead, so the last one is active.
const sprintsFrom = new Date(Date.now() - 160 * 86_400_000).toISOString().slice(0, 10);
const platform = simulateTeam({ seed: 42, start: sprintsFrom });
const payments = simulateTeam({ seed: 7, teamIndex: 1, teamKey: 'PAY', teamName: 'Payments Team', start: sprintsFrom });
const fabrikam = simulateTeam({ seed: 11, sprintCalendar: 'dates', start: sprintsFrom });
const TOKEN = 'org-token-0123456789abcdef';
const PAY_TOKEN_VAR = 'PAYMENTS_JIRA_TOKEN';

let jira: SimulatedJira;
let ado: SimulatedAzureDevOps;
let dir: string;
let store: string;
let env: Record<string, string>;
const logs: string[] = [];
const answers: string[] = [];

const io = (extra: Record<string, string> = {}): Io & { out: () => string; err: () => string } => {
  let out = '';
  let err = '';
  return { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, isTTY: false, env: { ...env, ...extra }, out: () => out, err: () => err };
};

function orgYml(head: string): string {
  const file = join(dir, `org-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(
    file,
    `${head}
store: ${store}
teams:
  - id: platform
    name: Platform
    tags: [tribe:core]
    jira: { site: ${jira.url}, board: 1 }
  - id: payments
    name: Payments
    tags: [tribe:payments]
    jira: { site: ${jira.url}, board: 2, token-env: ${PAY_TOKEN_VAR} }
  - id: fabrikam
    name: Fabrikam
    tags: [tribe:core, product:boards]
    azure-devops: { org: ${ado.url}, project: SIM, team: SIM Team }
    time-zone: ${fabrikam.snapshot.team.timeZone}
`,
  );
  return file;
}

async function start(head: string, extraEnv: Record<string, string> = {}): Promise<OrgServer> {
  const i = io(extraEnv);
  return startOrgServer({ ...loadOrgConfig(orgYml(head), i), port: 0 }, { webRoot: dashboardWebRoot(), io: i, log: (l) => logs.push(l), syncOnStart: 'missing' });
}

async function get(server: OrgServer, path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; type: string }> {
  const r = await fetch(`${server.url}${path}`, { headers, redirect: 'manual' });
  const text = await r.text();
  answers.push(text);
  return { status: r.status, text, type: r.headers.get('content-type') ?? '' };
}

/** What `agile-kpi metrics --offline --format json` says for a team of the same store. */
async function cliMetrics(args: string[]): Promise<MetricsReport> {
  const i = io();
  const code = await main(['metrics', ...args, '--offline', '--format', 'json', '--store', store], i);
  if (code !== 0) throw new Error(i.err());
  return JSON.parse(i.out()) as MetricsReport;
}

let server: OrgServer;
let cli: Record<string, MetricsReport>;

beforeAll(async () => {
  jira = await startSimulatedJira({ teams: [platform, payments] });
  ado = await startSimulatedAzureDevOps({ teams: [fabrikam], process: 'agile' });
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-org-'));
  store = join(dir, 'store.sqlite');
  // The payments board's token is in a variable of its own; JIRA_API_TOKEN holds a wrong one for it to prove it is not used.
  env = { JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, [PAY_TOKEN_VAR]: jira.apiToken, AZURE_DEVOPS_PAT: ado.pat, ORG_TOKEN: TOKEN };
  server = await start('');
  cli = {
    platform: await cliMetrics(['--source', 'jira', '--site', jira.url, '--board', '1']),
    payments: await cliMetrics(['--source', 'jira', '--site', jira.url, '--board', '2']),
    fabrikam: await cliMetrics(['--source', 'azure-devops', '--org', ado.url, '--project', 'SIM', '--team', 'SIM Team', '--time-zone', fabrikam.snapshot.team.timeZone]),
  };
}, 120_000);

afterAll(async () => {
  await server?.close();
  await jira?.close();
  await ado?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('syncs every team on start and serves each team\'s report as `agile-kpi metrics` computes it', async () => {
  expect(logs.filter((l) => l.startsWith('synced '))).toEqual(['synced platform', 'synced payments', 'synced fabrikam']);
  // Every team's figures are computed once after the sync, before anybody asks.
  await server.computed();
  expect(logs.filter((l) => l.startsWith('computed '))).toEqual([expect.stringMatching(/^computed the figures of 3 teams in \d+\.\d s$/)]);
  for (const id of ['platform', 'payments', 'fabrikam']) {
    const r = await get(server, `/api/teams/${id}/metrics`);
    expect(r.status).toBe(200);
    const { data } = JSON.parse(r.text) as { data: { report: MetricsReport } };
    expect(data.report).toEqual(cli[id]);
  }
  // The simulator's own record: velocity is the mean completed points of the last 3 closed sprints.
  const closed = platform.truth.sprints.filter((s) => s.state === 'closed').slice(-3);
  expect(cli['platform']!.velocity.value!.velocity).toBeCloseTo(closed.reduce((a, s) => a + s.completedPoints, 0) / 3, 2);
});

it('/api/teams: each KPI\'s figure, light and headline per team, and roll-ups only where they add up', async () => {
  const r = await get(server, '/api/teams');
  const { data } = JSON.parse(r.text) as { data: { rollup: PortfolioRollup; teams: PortfolioRow[] } };
  expect(data.teams.map((t) => [t.id, t.name, t.tags])).toEqual([
    ['platform', 'Platform', ['tribe:core']],
    ['payments', 'Payments', ['tribe:payments']],
    ['fabrikam', 'Fabrikam', ['tribe:core', 'product:boards']],
  ]);
  for (const row of data.teams) {
    const report = cli[row.id]!;
    const lights = kpiLights(report);
    const headlines = kpiHeadlines(report);
    expect(row.kpis!.velocity).toMatchObject({ figure: report.velocity.value!.velocity, light: lights.velocity, headline: headlines.velocity });
    expect(row.kpis!.flow.figure).toBe(report.flow.value!.throughputPerWeek);
    expect(row.kpis!.backlogHealth.figure).toBe(report.backlogHealth.value?.score ?? null);
    expect(row.throughputWeeks).toEqual(report.flow.details.weeks.map((w) => w.finished));
  }
  // By hand from the three reports: throughput adds up; goal rates pool their decided sprints; predictability
  // and backlog health are medians (three teams: the middle one); velocity has no roll-up at all.
  const reports = Object.values(cli);
  const sum = reports.reduce((a, x) => a + x.flow.value!.throughputPerWeek, 0);
  expect(data.rollup.throughputPerWeek).toBeCloseTo(sum, 2);
  const met = reports.reduce((a, x) => a + (x.sprintGoalRate.value?.met ?? 0), 0);
  const decided = reports.reduce((a, x) => a + (x.sprintGoalRate.value ? x.sprintGoalRate.value.met + x.sprintGoalRate.value.partly + x.sprintGoalRate.value.missed : 0), 0);
  expect(data.rollup.sprintGoalRate).toEqual({ rate: Math.round((met / decided) * 1000) / 1000, met, decided });
  const predictability = reports.map((x) => x.releasePredictability.value!.predictability!).sort((a, b) => a - b);
  expect(data.rollup.releasePredictabilityMedian).toBe(predictability[1]);
  expect(data.rollup).not.toHaveProperty('velocity');
  expect(data.rollup.teams).toBe(3);
});

/** A GET with exactly these headers (fetch adds its own Accept-Encoding and decompresses), the body as bytes. */
function rawGet(server: OrgServer, path: string, headers: Record<string, string>): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(parts) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

it('/api/teams is gzipped for a client that accepts it, and the same answer', async () => {
  const plain = await rawGet(server, '/api/teams', {});
  expect(plain.headers['content-encoding']).toBeUndefined();
  const text = plain.body.toString('utf8');
  expect((JSON.parse(text) as { data: { teams: PortfolioRow[] } }).data.teams).toHaveLength(3);
  const zipped = await rawGet(server, '/api/teams', { 'Accept-Encoding': 'br;q=1.0, gzip;q=0.8' });
  expect(zipped.headers['content-encoding']).toBe('gzip');
  expect(zipped.headers['vary']).toBe('Accept-Encoding');
  expect(zipped.body.length).toBeLessThan(plain.body.length);
  expect(gunzipSync(zipped.body).toString('utf8')).toBe(text);
  // A client that refuses gzip (quality 0) gets it plain.
  const refused = await rawGet(server, '/api/teams', { 'Accept-Encoding': 'gzip;q=0, identity' });
  expect(refused.headers['content-encoding']).toBeUndefined();
  expect(refused.body.toString('utf8')).toBe(text);
});

it('the portfolio page: one row per team, sortable by a KPI, filtered by a tag; a team opens its dashboard', async () => {
  const page = await get(server, '/');
  expect([page.status, page.type]).toEqual([200, 'text/html; charset=utf-8']);
  expect(page.text).toMatch(/<a href="teams\/platform\/">Platform<\/a>/);
  const order = (html: string) => [...html.matchAll(/<th scope="row"><a href="teams\/([a-z]+)\/">/g)].map((m) => m[1]);
  expect(order(page.text)).toEqual(['fabrikam', 'payments', 'platform']);
  const byThroughput = Object.entries(cli).sort((a, b) => b[1].flow.value!.throughputPerWeek - a[1].flow.value!.throughputPerWeek || a[0].localeCompare(b[0])).map(([id]) => id);
  expect(new Set(Object.values(cli).map((r) => r.flow.value!.throughputPerWeek)).size).toBe(3);
  expect(order((await get(server, '/?sort=flow&dir=desc')).text)).toEqual(byThroughput);
  expect(order((await get(server, '/?sort=flow&dir=asc')).text)).toEqual([...byThroughput].reverse());
  expect(order((await get(server, '/?tag=tribe%3Acore')).text)).toEqual(['fabrikam', 'platform']);
  // The team's dashboard, mounted under its id, with its own API.
  expect((await get(server, '/teams/platform')).status).toBe(301);
  const index = await get(server, '/teams/platform/');
  expect([index.status, index.type]).toEqual([200, 'text/html; charset=utf-8']);
  const api = await get(server, '/teams/payments/api/metrics');
  expect((JSON.parse(api.text) as { data: { report: MetricsReport } }).data.report.velocity.value).toEqual(cli['payments']!.velocity.value);
  expect((await get(server, '/teams/nope/')).status).toBe(404);
});

it('a token: nothing without it; a trusted header: each user sees the teams access gives them', async () => {
  const tokened = await start('auth: { token-env: ORG_TOKEN }\nlisten: { host: 127.0.0.1 }');
  try {
    expect((await get(tokened, '/api/teams')).status).toBe(401);
    expect((await get(tokened, '/', { Authorization: 'Bearer wrong-token-0123456789ab' })).status).toBe(401);
    expect((await get(tokened, '/teams/platform/api/metrics')).status).toBe(401);
    const ok = await get(tokened, '/api/teams', { Authorization: `Bearer ${TOKEN}` });
    expect(ok.status).toBe(200);
    expect((JSON.parse(ok.text) as { data: { teams: unknown[] } }).data.teams).toHaveLength(3);
  } finally {
    await tokened.close();
  }
  const proxied = await start('auth: { trusted-header: X-Forwarded-User }\naccess:\n  - { user: ada@example.com, tags: [tribe:payments] }\n  - { user: "*", teams: [fabrikam] }');
  try {
    expect((await get(proxied, '/api/teams')).status).toBe(401);
    const ada = await get(proxied, '/api/teams', { 'X-Forwarded-User': 'ada@example.com' });
    expect((JSON.parse(ada.text) as { data: { teams: PortfolioRow[] } }).data.teams.map((t) => t.id)).toEqual(['payments', 'fabrikam']);
    const bob = await get(proxied, '/', { 'X-Forwarded-User': 'bob@example.com' });
    expect([...bob.text.matchAll(/href="teams\/([a-z]+)\/"/g)].map((m) => m[1])).toEqual(['fabrikam']);
    expect((await get(proxied, '/api/teams/platform/metrics', { 'X-Forwarded-User': 'bob@example.com' })).status).toBe(404);
    expect((await get(proxied, '/teams/platform/api/metrics', { 'X-Forwarded-User': 'bob@example.com' })).status).toBe(404);
  } finally {
    await proxied.close();
  }
});

it('a failed sync is the team\'s row problem, the others still show; credentials never appear in answers or logs', async () => {
  const broken = await start('', { [PAY_TOKEN_VAR]: 'not-the-token' });
  try {
    await broken.computed();
    const computedBefore = logs.filter((l) => l.startsWith('computed ')).length;
    await broken.syncAll();
    // The pass's figures are computed again in the background.
    await broken.computed();
    expect(logs.filter((l) => l.startsWith('computed ')).length).toBe(computedBefore + 1);
    const { data } = JSON.parse((await get(broken, '/api/teams')).text) as { data: { teams: PortfolioRow[] } };
    const pay = data.teams.find((t) => t.id === 'payments')!;
    // The store still has its last good sync: the figures stay, with the failure beside them.
    expect(pay.kpis).not.toBeNull();
    expect(pay.problem).toMatch(/^the last sync failed: /);
    expect(data.teams.find((t) => t.id === 'platform')!.problem).toBeNull();
    expect(logs.some((l) => l.startsWith('sync of payments failed: '))).toBe(true);
  } finally {
    await broken.close();
  }
  const everything = [...answers, ...logs].join('\n');
  for (const secret of [jira.apiToken, ado.pat, TOKEN, 'not-the-token']) expect(everything).not.toContain(secret);
});

it('serve --config refuses a non-loopback address without auth, and a bad file with its problems', async () => {
  const file = orgYml('');
  const open = io();
  expect(await main(['serve', '--config', file, '--host', '0.0.0.0'], open)).toBe(2);
  expect(open.err()).toMatch(/^agile-kpi: 0\.0\.0\.0 is not a loopback address: the server refuses to listen there without auth: in .*org-[a-z0-9]+\.yml \(token-env or trusted-header\)\n$/);
  const bad = join(dir, 'bad.yml');
  writeFileSync(bad, 'teams:\n  - id: x\n    jira: { site: http://127.0.0.1:1, board: 1 }\n');
  const missing = io({ JIRA_API_TOKEN: '' });
  expect(await main(['serve', '--config', bad], missing)).toBe(2);
  expect(missing.err()).toBe(`agile-kpi: ${bad}: teams[0] (x).jira.token-env: the variable JIRA_API_TOKEN is not set (a Jira API token)\n`);
});

it("a team dashboard's settings keep its outcome settings in the store (the metrics take the cost) and list and remove its files, for who may see the team only", async () => {
  const proxied = await start('auth: { trusted-header: X-Forwarded-User }\naccess:\n  - { user: ada@example.com, tags: [tribe:payments] }\n  - { user: "*", teams: [fabrikam] }');
  const send = async (user: string, path: string, method = 'GET', body?: unknown) => {
    const r = await fetch(`${proxied.url}${path}`, { method, headers: { 'X-Forwarded-User': user, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: r.status, body: (await r.json()) as { ok: boolean; data?: any; error?: { kind: string; message: string } } };
  };
  try {
    expect((await send('bob@example.com', '/teams/payments/api/outcomes/settings', 'PUT', { cost: { perSprint: 1, currency: 'EUR' } })).status).toBe(404);
    expect(await send('ada@example.com', '/teams/payments/api/outcomes/settings', 'PUT', { cost: { perSprint: 10_000, currency: 'EURO' } })).toMatchObject({
      status: 400,
      body: { ok: false, error: { kind: 'invalid', message: "cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR, got '10000 EURO'" } },
    });
    expect((await send('ada@example.com', '/teams/payments/api/outcomes/settings', 'PUT', { cost: { perSprint: 10_000, currency: 'EUR' } })).body).toEqual({ ok: true, data: { files: [], settings: { cost: { perSprint: 10_000, currency: 'EUR' } } } });
    expect((await send('ada@example.com', '/api/teams/payments/metrics')).body.data.report.roi.params).toMatchObject({ costPerSprint: 10_000, currency: 'EUR' });
    // Where `agile-kpi outcomes settings` keeps them: metrics from the same store reads them.
    expect((await cliMetrics(['--source', 'jira', '--site', jira.url, '--board', '2'])).roi.params).toMatchObject({ costPerSprint: 10_000, currency: 'EUR' });

    await send('ada@example.com', '/teams/payments/api/outcomes', 'POST', { kind: 'csat', name: 'survey.csv', text: 'date,score\n2025-01-10,5\n2025-01-11,3\n' });
    expect((await send('ada@example.com', '/teams/payments/api/outcomes')).body.data.files).toEqual([{ kind: 'csat', name: 'survey.csv', records: 2 }]);
    expect((await send('bob@example.com', '/teams/payments/api/outcomes/remove', 'POST', { kind: 'csat', name: 'survey.csv' })).status).toBe(404);
    expect((await send('ada@example.com', '/teams/payments/api/outcomes/remove', 'POST', { kind: 'csat', name: 'survey.csv' })).body).toMatchObject({ ok: true, data: { removed: 2, files: [] } });
    expect((await send('ada@example.com', '/teams/payments/api/outcomes/settings', 'PUT', {})).body).toEqual({ ok: true, data: { files: [], settings: {} } });
  } finally {
    await proxied.close();
  }
});

it("another process's sync shows in the portfolio, answered from the last portfolio while it is checked", async () => {
  const platformSync = async () => ((JSON.parse((await get(server, '/api/teams')).text) as { data: { teams: PortfolioRow[] } }).data.teams.find((t) => t.id === 'platform')!).lastSyncAt;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const other = await openTeamStore(store, false);
  try {
    const scope = await other.scope({ source: 'jira', site: jira.url, scope: '1' });
    const state = (await scope.getState<Record<string, unknown> & { lastSyncAt: string }>('jira-sync'))!;
    // The server shows the stored sync (earlier tests synced again), and a check it began has ended.
    for (let i = 0; i < 30 && (await platformSync()) !== state.lastSyncAt; i++) await sleep(100);
    expect(await platformSync()).toBe(state.lastSyncAt);
    await sleep(300);
    // Another process (a second server, a cron'd `agile-kpi sync`) records a later sync of the platform board.
    const later = new Date(Date.parse(state.lastSyncAt) + 60_000).toISOString();
    await scope.setState('jira-sync', { ...state, lastSyncAt: later });
    // (The last test of the file: the store's platform board now says it synced a minute later than it did.)
    await sleep(1_100);
    // The portfolio is over a second old: it is answered, and checked against the store meanwhile.
    const seen = [await platformSync()];
    for (let i = 0; i < 50 && seen.at(-1) !== later; i++) {
      await sleep(100);
      seen.push(await platformSync());
    }
    expect(seen[0]).toBe(state.lastSyncAt);
    expect(seen.at(-1)).toBe(later);
  } finally {
    await other.close();
  }
});
