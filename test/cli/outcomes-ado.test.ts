import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsReport } from '@agile-kpi/core';
import { type SimulatedAzureDevOps, simulateTeam, startSimulatedAzureDevOps } from '@agile-kpi/testkit';
import { agileKpiAsync, buildOnce } from './built-cli';

/** `agile-kpi outcomes` for an Azure DevOps team synced from the simulated organisation: the team's own scope. */
const team = simulateTeam({ seed: 42, sprintCalendar: 'dates' });
let ado: SimulatedAzureDevOps;
let dir: string;
let env: Record<string, string>;
const scope = ['--source', 'azure-devops', '--project', 'SIM', '--team', 'SIM Team'];

beforeAll(async () => {
  buildOnce();
  ado = await startSimulatedAzureDevOps({ teams: [team], process: 'agile' });
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-cli-outcomes-ado-'));
  env = { AZURE_DEVOPS_ORG_URL: ado.url, AZURE_DEVOPS_PAT: ado.pat, AGILE_KPI_STORE: join(dir, 'store.sqlite') };
});
afterAll(async () => {
  await ado.close();
  rmSync(dir, { recursive: true, force: true });
});

it('imports a survey for the team (no token needed), and metrics computes its CSAT', async () => {
  const never = await agileKpiAsync(['outcomes', 'list', ...scope], env);
  expect(never.code).toBe(2);
  expect(never.stderr).toMatch(/^agile-kpi: Azure DevOps team SIM\/SIM Team at http:\/\/127\.0\.0\.1:\d+\/simorg has not been synced into .* yet: run agile-kpi sync --source azure-devops --project "SIM" --team "SIM Team" first/);
  expect((await agileKpiAsync(['sync', ...scope], env)).code).toBe(0);

  // Ten ratings in May 2025, the last complete month before asOf (2025-06-16): 5 5 4 4 4 3 2 5 4 1.
  const survey = join(dir, 'survey.csv');
  writeFileSync(survey, ['date,score', ...[5, 5, 4, 4, 4, 3, 2, 5, 4, 1].map((s, i) => `2025-05-${String(5 + i).padStart(2, '0')},${s}`)].join('\n'));
  const imported = await agileKpiAsync(['outcomes', 'import', survey, '--kind', 'csat', ...scope], { ...env, AZURE_DEVOPS_PAT: '' });
  expect(imported).toMatchObject({ code: 0, stdout: 'survey.csv -> Azure DevOps team SIM/SIM Team (csat): 10 new records; 0 already imported\n' });
  expect((await agileKpiAsync(['outcomes', 'list', ...scope], env)).stdout).toMatch(/^ {2}csat\s+10 {2}2025-05-05 to 2025-05-14 {2}\(1 file imported: survey\.csv\)$/m);

  // Reading the store needs no token either (syncing does).
  const r = await agileKpiAsync(['metrics', ...scope, '--time-zone', team.snapshot.team.timeZone, '--offline', '--format', 'json', '--as-of', team.snapshot.asOf], { ...env, AZURE_DEVOPS_PAT: '' });
  expect(r.code).toBe(0);
  // 7 of 10 ratings are 4-5: 0.7; mean 37/10 = 3.7; Wilson (7, 10) = [0.397, 0.892] (worked out in outcomes.test.ts).
  expect((JSON.parse(r.stdout) as MetricsReport).customerSatisfaction.value?.csat).toEqual({ share: 0.7, mean: 3.7, responses: 10, interval: [0.397, 0.892] });
  const online = await agileKpiAsync(['metrics', ...scope, '--format', 'json'], { ...env, AZURE_DEVOPS_PAT: '' });
  expect(online.stderr).toMatch(/^agile-kpi: no personal access token: set AZURE_DEVOPS_PAT/);
});
