import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsReport, ResponseRecord } from '@agile-kpi/core';
import { openStore } from '@agile-kpi/store';
import { type SimulatedJira, simulateTeam, startSimulatedJira } from '@agile-kpi/testkit';
import { agileKpiAsync, buildOnce } from './built-cli';

/**
 * `agile-kpi sync --service-projects SUP,HELP`: the built command reads the satisfaction ratings of the team's
 * Jira Service Management projects with the board, keeps them as csat outcome records in the board's scope, and
 * remembers the projects for later syncs until `--service-projects none`.
 */
let jira: SimulatedJira, dir: string, env: Record<string, string>;

beforeAll(async () => {
  buildOnce();
  jira = await startSimulatedJira({
    teams: [simulateTeam({ seed: 42 })],
    now: () => Date.parse('2026-03-10T12:00:00Z'),
    serviceProjects: [
      { key: 'SUP', requests: [{ rating: 5, ratedAt: '2026-02-02T10:00:00Z' }, { rating: 2, ratedAt: '2026-02-03T10:00:00Z' }, { rating: null }] },
      { key: 'HELP', requests: [{ rating: 4, ratedAt: '2026-02-04T10:00:00Z' }] },
    ],
  });
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-cli-jsm-'));
  env = { JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, AGILE_KPI_STORE: join(dir, 'store.sqlite') };
});
afterAll(async () => {
  await jira.close();
  rmSync(dir, { recursive: true, force: true });
});

function ratings(): (ResponseRecord & { id: string })[] {
  const store = openStore(env['AGILE_KPI_STORE']!);
  try {
    return store
      .scope({ source: 'jira', site: jira.url, scope: '1' })
      .listOutcomes(['csat'])
      .map((r) => r.body as ResponseRecord & { id: string });
  } finally {
    store.close();
  }
}

it('sync --service-projects reads the ratings with the board, and later syncs remember the projects', async () => {
  const first = await agileKpiAsync(['sync', '--board', '1', '--service-projects', 'SUP, help'], env);
  expect(first.code).toBe(0);
  expect(first.stderr).toMatch(/^synced board 1 \(full\)/m);
  expect(first.stderr).toMatch(/^read satisfaction ratings of SUP, HELP \(full\): 3 rated requests read, 3 ratings new or changed$/m);
  expect(ratings().map((r) => [r.id, r.score, r.source, r.url])).toEqual([
    ['jsm:request:HELP-1', 4, 'HELP-1', `${jira.url}/browse/HELP-1`],
    ['jsm:request:SUP-1', 5, 'SUP-1', `${jira.url}/browse/SUP-1`],
    ['jsm:request:SUP-2', 2, 'SUP-2', `${jira.url}/browse/SUP-2`],
  ]);

  jira.serviceDesk!.rate('SUP-3', 1, '2026-03-10T11:59:00Z');
  const second = await agileKpiAsync(['sync', '--board', '1'], env);
  expect(second.code).toBe(0);
  expect(second.stderr).toMatch(/^read satisfaction ratings of HELP, SUP \(incremental\): 1 rated requests read, 1 ratings new or changed$/m);
  expect(ratings().map((r) => r.id)).toEqual(['jsm:request:HELP-1', 'jsm:request:SUP-1', 'jsm:request:SUP-2', 'jsm:request:SUP-3']);

  // SUP-2's rating is cleared in Jira and back the next day: the sync says what it took away, then puts it back.
  const sup2 = jira.serviceDesk!.request('SUP-2')!;
  const rated = sup2.ratedMs!;
  jira.serviceDesk!.rate('SUP-2', null, '2026-03-10T11:59:30Z');
  const cleared = await agileKpiAsync(['sync', '--board', '1'], env);
  expect(cleared.stderr).toMatch(/^read satisfaction ratings of HELP, SUP \(incremental\): \d+ rated requests read, 0 ratings new or changed, 1 removed \(no longer rated there\)$/m);
  expect(ratings().map((r) => r.id)).toEqual(['jsm:request:HELP-1', 'jsm:request:SUP-1', 'jsm:request:SUP-3']);
  jira.serviceDesk!.rate('SUP-2', 2, rated);
  expect((await agileKpiAsync(['sync', '--board', '1', '--full'], env)).code).toBe(0);
  expect(ratings().map((r) => r.id)).toEqual(['jsm:request:HELP-1', 'jsm:request:SUP-1', 'jsm:request:SUP-2', 'jsm:request:SUP-3']);

  // metrics computes CSAT from them. asOf 2026-03-10: the value is February, the last complete month: SUP-1 5,
  // SUP-2 2, HELP-1 4 -> 2 of 3 ratings are 4-5, CSAT 2/3 = 0.667 (3 decimals), mean 11/3 = 3.67 (2 decimals);
  // March so far: SUP-3 1 -> 0 of 1.
  const metrics = await agileKpiAsync(['metrics', '--source', 'jira', '--board', '1', '--offline', '--format', 'json', '--as-of', '2026-03-10T12:00:00Z'], env);
  expect(metrics.code).toBe(0);
  const csat = (JSON.parse(metrics.stdout) as MetricsReport).customerSatisfaction;
  expect(csat.value?.month).toBe('2026-02');
  expect(csat.value?.csat?.responses).toBe(3);
  expect(csat.value?.csat?.share).toBe(0.667);
  expect(csat.value?.csat?.mean).toBe(3.67);
  expect(csat.details!.months.map((m) => [m.period, m.csat?.responses, m.csat?.share])).toEqual([
    ['2026-02', 3, 0.667],
    ['2026-03', 1, 0],
  ]);

  const stop = await agileKpiAsync(['sync', '--board', '1', '--service-projects', 'none'], env);
  expect(stop.code).toBe(0);
  expect(stop.stderr).not.toMatch(/satisfaction ratings/);
  const after = await agileKpiAsync(['sync', '--board', '1'], env);
  expect(after.stderr).not.toMatch(/satisfaction ratings/);
  // The records read stay: they are the team's data (metrics computes CSAT from them).
  expect(ratings()).toHaveLength(4);
});

it.each([
  [['sync', '--board', '1', '--service-projects', 'SUP;HELP'], /^agile-kpi: --service-projects must be Jira project keys separated by commas, like SUP,HELP \(or none\), got 'SUP;HELP'/],
  [['sync', '--board', '1', '--service-projects', 'NOPE'], /^agile-kpi: project NOPE does not exist at http:\/\/127\.0\.0\.1:\d+, or the API user cannot browse it: check the service project keys$/m],
])('%j exits 2 with one line', async (args, message) => {
  const r = await agileKpiAsync(args, env);
  expect(r.stderr).toMatch(message);
  expect(r.code).toBe(2);
});
