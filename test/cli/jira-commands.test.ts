import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsReport } from '@agile-kpi/core';
import { type SimulatedJira, simulateTeam, startSimulatedJira } from '@agile-kpi/testkit';
import { ROOT, agileKpiAsync, buildOnce } from './built-cli';

/**
 * The built command against a simulated Jira on loopback, as a user runs it: settings from JIRA_URL,
 * JIRA_EMAIL, JIRA_API_TOKEN; a store file; sync, metrics --source jira, verify, sim jira; errors as one line.
 */
const team = simulateTeam({ seed: 42 });
let jira: SimulatedJira;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  buildOnce();
  jira = await startSimulatedJira({ teams: [team] });
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-cli-jira-'));
  env = { JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, AGILE_KPI_STORE: join(dir, 'store.sqlite') };
});
afterAll(async () => {
  await jira.close();
  rmSync(dir, { recursive: true, force: true });
});

it('metrics --source jira syncs, then prints every KPI; the second sync is incremental', async () => {
  const first = await agileKpiAsync(['metrics', '--source', 'jira', '--board', '1', '--format', 'json', '--as-of', team.snapshot.asOf], env);
  expect(first.code).toBe(0);
  expect(first.stderr).toMatch(/^synced board 1 \(full\): \d+ issues read, \d+ changelogs fetched/m);
  const report = JSON.parse(first.stdout) as MetricsReport;
  const closed = team.truth.sprints.filter((s) => s.state === 'closed').slice(-3);
  const mean = closed.reduce((a, s) => a + s.completedPoints, 0) / closed.length;
  expect(report.velocity.value?.velocity).toBeCloseTo(mean, 2);
  expect(report.source).toEqual({ tracker: 'jira', site: jira.url, board: '1' });

  const second = await agileKpiAsync(['sync', '--board', '1'], env);
  expect(second.code).toBe(0);
  expect(second.stderr).toMatch(/^synced board 1 \(incremental\): 0 issues read, 0 changelogs fetched, 0 removed/m);

  const offline = await agileKpiAsync(['metrics', '--source', 'jira', '--board', '1', '--offline', '--format', 'json', '--as-of', team.snapshot.asOf], env);
  expect(offline.code).toBe(0);
  expect(offline.stderr).toBe('');
  expect((JSON.parse(offline.stdout) as MetricsReport).velocity.value).toEqual(report.velocity.value);

  // Reading the store needs no Jira credentials (a job that only reads a synced store has none); syncing does.
  const { JIRA_EMAIL: _email, JIRA_API_TOKEN: _token, ...storeOnly } = env;
  const withoutCredentials = await agileKpiAsync(['metrics', '--source', 'jira', '--board', '1', '--offline', '--format', 'json', '--as-of', team.snapshot.asOf], storeOnly);
  expect(withoutCredentials).toMatchObject({ code: 0, stderr: '', stdout: offline.stdout });
  const online = await agileKpiAsync(['metrics', '--source', 'jira', '--board', '1', '--format', 'json'], storeOnly);
  expect(online.code).toBe(2);
  expect(online.stderr).toBe('agile-kpi: no Jira account: pass --email or set JIRA_EMAIL (the account the API token belongs to)\n');
  const noToken = await agileKpiAsync(['sync', '--board', '1'], { ...storeOnly, JIRA_EMAIL: jira.email });
  expect(noToken.stderr).toMatch(/^agile-kpi: no API token: set JIRA_API_TOKEN/);
});

it("verify agrees with the simulated Jira's velocity chart on every closed sprint", async () => {
  const r = await agileKpiAsync(['verify', '--board', '1'], env);
  const closed = team.truth.sprints.filter((s) => s.state === 'closed').length;
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`${closed} of ${closed} closed sprints agree with Jira.`);
  for (const t of team.truth.sprints.filter((s) => s.state === 'closed')) {
    const name = team.snapshot.sprints.find((s) => s.id === t.sprintId)!.name;
    expect(r.stdout).toMatch(new RegExp(`${name}\\s+${t.committedPoints} / ${t.committedPoints}\\s+${t.completedPoints} / ${t.completedPoints}\\s+agrees`));
  }
});

it('verify says when Jira has no velocity chart, and exits 4', async () => {
  jira.configure({ velocityReport: false });
  try {
    const r = await agileKpiAsync(['verify', '--board', '1', '--offline'], env);
    expect(r.code).toBe(4);
    expect(r.stdout).toContain("Jira's velocity chart is not available on this site");
  } finally {
    jira.configure({ velocityReport: true });
  }
});

it.each([
  [['sync', '--board', '1'], { JIRA_API_TOKEN: 'wrong' }, 2, /^agile-kpi: the API token was rejected for sim@example.com at http:\/\/127.0.0.1:\d+: check JIRA_EMAIL and JIRA_API_TOKEN/],
  [['sync', '--board', '77'], {}, 2, /^agile-kpi: could not read board 77 at http:\/\/127.0.0.1:\d+: it does not exist or sim@example.com cannot see it/],
  [['sync'], {}, 2, /^agile-kpi: --board is required/],
  [['sync', '--board', '1'], { JIRA_URL: '' }, 2, /^agile-kpi: no Jira site: pass --site/],
  [['sync', '--board', '1', '--site', 'http://127.0.0.1:9', '--retries', '0'], {}, 3, /^agile-kpi: could not reach Jira at http:\/\/127.0.0.1:9 to /],
  [['metrics', '--source', 'jira', '--board', '1', '--offline', '--store', '/tmp/agile-kpi-never-synced.sqlite'], {}, 2, /^agile-kpi: board 1 at http:\/\/127.0.0.1:\d+ has not been synced into this store yet/],
])('%j %j exits %i with one line', async (args, extra, code, message) => {
  rmSync('/tmp/agile-kpi-never-synced.sqlite', { force: true });
  const r = await agileKpiAsync(args, { ...env, ...extra });
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).not.toMatch(/\n\s+at /);
});

it('sim jira serves a simulated Jira that metrics can read, and stops on Ctrl-C', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'packages/cli/bin/agile-kpi.js'), 'sim', 'jira', '--seed', '3'], { env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}${err}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /export JIRA_URL=(\S+)/.exec(out);
      if (m && /export JIRA_API_TOKEN=\S+/.test(out)) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
  });
  const email = /export JIRA_EMAIL=(\S+)/.exec(out)![1]!;
  const token = /export JIRA_API_TOKEN=(\S+)/.exec(out)![1]!;
  const r = await agileKpiAsync(['metrics', '--source', 'jira', '--board', '1', '--store', join(dir, 'sim.sqlite')], { JIRA_URL: url, JIRA_EMAIL: email, JIRA_API_TOKEN: token });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Velocity\s+[\d.]+ pts/);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  expect(await exit).toBe(0);
  expect(err).toMatch(/stopped the simulated Jira \(\d+ requests served\)/);
});

it('a sync that cannot read some issues says how many it skipped and names them; metrics lists them too', async () => {
  const [a, b] = jira.site.issues.filter((i) => i.histories.length > 0);
  jira.tamper((answer) => {
    const body = answer.body as { issues?: { id: string; fields?: Record<string, unknown> }[] };
    for (const i of answer.kind === 'search' ? (body.issues ?? []) : []) {
      if (i.id === a!.id && i.fields?.['created'] !== undefined) i.fields['created'] = 'soon';
      if (i.id === b!.id && i.fields?.['updated'] !== undefined) i.fields['updated'] = '';
    }
    return body;
  });
  try {
    const store = { ...env, AGILE_KPI_STORE: join(dir, 'skipping.sqlite') };
    const sync = await agileKpiAsync(['sync', '--board', '1'], store);
    expect(sync.code).toBe(0);
    expect(sync.stderr).toMatch(new RegExp(`^synced board 1 \\(full\\): ${jira.site.issues.length - 2} issues read, 2 issues skipped \\(see warnings\\), `, 'm'));
    expect(sync.stderr).toContain(`  warning: issue ${a!.key} skipped: fields.created "soon" is not a timestamp Jira or Azure DevOps is known to send\n`);
    expect(sync.stderr).toContain(`  warning: issue ${b!.key} skipped: fields.updated "" is not a timestamp Jira or Azure DevOps is known to send\n`);
    const metrics = await agileKpiAsync(['metrics', '--source', 'jira', '--board', '1', '--offline', '--format', 'json'], store);
    expect(metrics.code).toBe(0);
    const report = JSON.parse(metrics.stdout) as MetricsReport;
    expect(report.warnings.filter((w) => w.code === 'unreadable-record').map((w) => w.itemKey)).toEqual([a!.key, b!.key]);
  } finally {
    jira.tamper(undefined);
  }
});
