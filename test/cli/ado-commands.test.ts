import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsReport } from '@agile-kpi/core';
import { type SimulatedAzureDevOps, simulateTeam, startSimulatedAzureDevOps } from '@agile-kpi/testkit';
import { ROOT, agileKpiAsync, buildOnce } from './built-cli';

/** The built command against a simulated Azure DevOps on loopback, as a user runs it. */
const team = simulateTeam({ seed: 42, sprintCalendar: 'dates' });
let ado: SimulatedAzureDevOps;
let dir: string;
let env: Record<string, string>;
const target = ['--project', 'SIM', '--team', 'SIM Team', '--time-zone', team.snapshot.team.timeZone];

beforeAll(async () => {
  buildOnce();
  ado = await startSimulatedAzureDevOps({ teams: [team], process: 'agile' });
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-cli-ado-'));
  env = { AZURE_DEVOPS_ORG_URL: ado.url, AZURE_DEVOPS_PAT: ado.pat, AGILE_KPI_STORE: join(dir, 'store.sqlite') };
});
afterAll(async () => {
  await ado.close();
  rmSync(dir, { recursive: true, force: true });
});

it('metrics --source azure-devops syncs, then prints every KPI; the next sync is incremental', async () => {
  const r = await agileKpiAsync(['metrics', '--source', 'azure-devops', ...target, '--format', 'json', '--as-of', team.snapshot.asOf], env);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^synced SIM\/SIM Team \(full\): \d+ work items, \d+ revisions read/m);
  const report = JSON.parse(r.stdout) as MetricsReport;
  const closed = team.truth.sprints.filter((s) => s.state === 'closed').slice(-3);
  expect(report.velocity.value?.velocity).toBeCloseTo(closed.reduce((a, s) => a + s.completedPoints, 0) / closed.length, 2);
  expect(report.source).toEqual({ tracker: 'azure-devops', site: ado.url, board: 'SIM/SIM Team' });
  const again = await agileKpiAsync(['sync', '--source', 'azure-devops', ...target.slice(0, 4)], env);
  expect(again.code).toBe(0);
  expect(again.stderr).toMatch(/^synced SIM\/SIM Team \(incremental\): \d+ work items, 0 revisions read, 0 changed/m);
});

it.each([
  [['sync', '--source', 'azure-devops', '--project', 'SIM', '--team', 'SIM Team'], { AZURE_DEVOPS_PAT: 'wrong' }, 2, /^agile-kpi: the personal access token was rejected by http:\/\/127.0.0.1:\d+\/simorg/],
  [['sync', '--source', 'azure-devops', '--project', 'SIM', '--team', 'Nope'], {}, 2, /^agile-kpi: could not read the team's/],
  [['sync', '--source', 'azure-devops', '--project', 'SIM'], {}, 2, /^agile-kpi: --team is required/],
  [['sync', '--source', 'azure-devops', '--project', 'SIM', '--team', 'SIM Team'], { AZURE_DEVOPS_ORG_URL: '' }, 2, /^agile-kpi: no Azure DevOps organisation/],
  [['sync', '--source', 'trello', '--board', '1'], {}, 2, /^agile-kpi: --source must be jira or azure-devops, got 'trello'/],
])('%j %j exits %i with one line', async (args, extra, code, message) => {
  const r = await agileKpiAsync(args, { ...env, ...extra });
  expect(r.code).toBe(code);
  expect(r.stderr).toMatch(message);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
});

it('sim azure-devops serves an organisation that metrics can read, and stops on Ctrl-C', async () => {
  const child = spawn(process.execPath, [join(ROOT, 'packages/cli/bin/agile-kpi.js'), 'sim', 'azure-devops', '--process', 'agile', '--seed', '4'], { env: { PATH: process.env['PATH'] ?? '', NO_COLOR: '1' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no settings printed: ${out}${err}`)), 20_000);
    child.stdout.on('data', () => {
      if (/export AZURE_DEVOPS_PAT=\S+/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  const url = /export AZURE_DEVOPS_ORG_URL=(\S+)/.exec(out)![1]!;
  const pat = /export AZURE_DEVOPS_PAT=(\S+)/.exec(out)![1]!;
  const zone = /--time-zone (\S+)/.exec(out)![1]!;
  const r = await agileKpiAsync(['metrics', '--source', 'azure-devops', '--project', 'SIM', '--team', 'SIM Team', '--time-zone', zone, '--store', join(dir, 'sim.sqlite')], { AZURE_DEVOPS_ORG_URL: url, AZURE_DEVOPS_PAT: pat });
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Velocity\s+[\d.]+ pts/);
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  child.kill('SIGINT');
  expect(await exit).toBe(0);
  expect(err).toMatch(/stopped the simulated Azure DevOps \(\d+ requests served\)/);
});
