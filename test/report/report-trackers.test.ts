import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type SimulatedAzureDevOps, type SimulatedJira, simulateTeam, startSimulatedAzureDevOps, startSimulatedJira } from '@agile-kpi/testkit';
import { agileKpiAsync, buildOnce } from '../cli/built-cli';
import { type SmtpSink, startSmtpSink } from './smtp-sink';

/**
 * `agile-kpi report --source jira|azure-devops`: the built command syncs the simulated trackers into the store,
 * reports one team or a roll-up of boards, and `agile-kpi schedule` does the same from a schedules file.
 */
const a = simulateTeam({ seed: 3, sprints: 8 });
const b = simulateTeam({ seed: 4, sprints: 8, teamIndex: 1, teamKey: 'SIB', teamName: 'Team B' });
const ado = simulateTeam({ seed: 5, sprints: 8, sprintCalendar: 'dates' });
let jira: SimulatedJira;
let azure: SimulatedAzureDevOps;
let sink: SmtpSink;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  buildOnce();
  jira = await startSimulatedJira({ teams: [a, b] });
  azure = await startSimulatedAzureDevOps({ teams: [ado], process: 'scrum' });
  sink = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-report-trackers-'));
  env = {
    HOME: dir,
    AGILE_KPI_STORE: join(dir, 'store.sqlite'),
    JIRA_URL: jira.url,
    JIRA_EMAIL: jira.email,
    JIRA_API_TOKEN: jira.apiToken,
    AZURE_DEVOPS_ORG_URL: azure.url,
    AZURE_DEVOPS_PAT: azure.pat,
    SMTP_URL: sink.url(),
  };
});
afterAll(async () => {
  await Promise.all([jira?.close(), azure?.close(), sink?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

it('two Jira boards: synced, then one email with a roll-up and a section each', async () => {
  const boards = jira.boards.map((x) => x.id).join(',');
  const r = await agileKpiAsync(['report', '--source', 'jira', '--board', boards, '--to', 'head@example.com', '--out', join(dir, 'jira'), '--no-charts'], env);
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^synced board \d+ \(full\): .*\nsynced board \d+ \(full\): /);
  expect(r.stdout.split('\n')[0]).toMatch(/^agile-kpi: 2 teams — /);
  const text = readFileSync(join(dir, 'jira', 'report.txt'), 'utf8');
  for (const board of jira.boards) expect(text).toContain(`jira · ${jira.url} · board ${board.id}`);
  expect(text).toContain(`<${jira.url}/browse/`);
});

it('an Azure DevOps team, sent; then offline from the store', async () => {
  const target = ['--source', 'azure-devops', '--project', 'SIM', '--team', 'SIM Team', '--time-zone', 'Europe/Berlin'];
  const before = sink.received.length;
  const r = await agileKpiAsync(['report', ...target, '--to', 'lead@example.com', '--send'], env);
  expect(r.code).toBe(0);
  await sink.waitFor(before + 1);
  const mail = await sink.received[before]!.parse();
  expect(mail.text).toContain(`azure-devops · ${azure.url} · board SIM/SIM Team`);
  const offline = await agileKpiAsync(['report', ...target, '--offline', '--to', 'lead@example.com', '--out', join(dir, 'ado')], env);
  expect(offline.code).toBe(0);
  expect(offline.stderr).toBe('');
  expect(readFileSync(join(dir, 'ado', 'report.txt'), 'utf8')).toContain('Changes since the report of');
});

it('schedule --once reads the boards of a jira entry with the credentials from the environment', async () => {
  const config = join(dir, 'schedules.yml');
  writeFileSync(config, `from: kpi@example.com\nentries:\n  - name: boards\n    source: jira\n    teams: [${jira.boards[0]!.id}, { board: ${jira.boards[1]!.id} }]\n    recipients: [head@example.com]\n    charts: false\n    cadence: { cron: "* * * * *", timezone: UTC }\n`);
  const before = sink.received.length;
  const r = await agileKpiAsync(['schedule', '--config', config, '--once'], env);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/boards: sent "agile-kpi: 2 teams — /);
  await sink.waitFor(before + 1);
  expect(sink.received[before]!.to).toEqual(['head@example.com']);
});
