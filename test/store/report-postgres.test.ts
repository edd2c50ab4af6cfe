import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricsReport } from '@agile-kpi/core';
import { num } from '@agile-kpi/presentation';
import { type SimulatedJira, simulateTeam, startSimulatedJira } from '@agile-kpi/testkit';
import { runServe } from '../../packages/cli/src/commands/serve';
import type { Io } from '../../packages/cli/src/io';
import { agileKpiAsync, buildOnce } from '../cli/built-cli';
import { type SmtpSink, startSmtpSink } from '../report/smtp-sink';
import { startTestPostgres, type TestPostgres } from './test-postgres';

/**
 * Reports on the PostgreSQL store (`--store postgres://…`, `store:` in schedules.yml, `reports:` in an org.yml
 * whose store is PostgreSQL), delivered to a real SMTP server on loopback: the memory of what was sent (per team
 * and audience, and per schedule period) lives in PostgreSQL, and the emails are the ones the SQLite store gives.
 */
const team = simulateTeam({ seed: 3, sprints: 8 });
const zone = team.snapshot.team.timeZone;
const closed = team.snapshot.sprints.filter((s) => s.state === 'closed');
/** The first report: an hour after the third-to-last closed sprint ended; the second: as of the simulation's end. */
const firstAsOf = new Date(Date.parse(closed.at(-3)!.closedAt!) + 3_600_000).toISOString();
const secondAsOf = team.snapshot.asOf;
/** The first report's day in the team's zone, as "Changes since the report of …" names it. */
const firstDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(firstAsOf));

let pg: TestPostgres;
let jira: SimulatedJira;
let sink: SmtpSink;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  buildOnce();
  [pg, jira, sink] = await Promise.all([startTestPostgres(), startSimulatedJira({ teams: [team] }), startSmtpSink()]);
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-report-pg-'));
  env = { HOME: dir, JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, SMTP_URL: sink.url() };
}, 180_000);
afterAll(async () => {
  await Promise.all([jira?.close(), sink?.close(), pg?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const board = () => String(jira.boards[0]!.id);

/** `report --send` of the board as of `asOf`; returns the plain-text part of the email received. */
async function send(store: string, asOf: string, to = 'lead@example.com', offline = false): Promise<string> {
  const before = sink.received.length;
  const r = await agileKpiAsync(['report', '--source', 'jira', '--board', board(), '--store', store, '--as-of', asOf, '--time-zone', zone, '--to', to, '--send', '--no-charts', ...(offline ? ['--offline'] : [])], env);
  expect(r.stdout).toMatch(/^sent "agile-kpi: /);
  expect(r.code).toBe(0);
  await sink.waitFor(before + 1);
  return (await sink.received[before]!.parse()).text ?? '';
}

/** The board's velocity from the store as of `asOf`, through `metrics --format json` (no report memory involved). */
async function velocityAt(store: string, asOf: string): Promise<number> {
  const r = await agileKpiAsync(['metrics', '--source', 'jira', '--board', board(), '--store', store, '--offline', '--as-of', asOf, '--time-zone', zone, '--format', 'json'], env);
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as MetricsReport).velocity.value!.velocity;
}

/**
 * A schedules.yml with one entry for the board: a yearly cron, always due on start within its year of catch-up;
 * `offline` reads the store as it is (the board synced into it already).
 */
function schedules(store: string, recipients: string, offline = true): string {
  const file = join(dir, `schedules-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(
    file,
    `from: kpi@example.com
store: "${store}"
catch-up: 370d
entries:
  - name: yearly
    source: jira
    teams: [${board()}]
    time-zone: ${zone}
    recipients: ${recipients}
    charts: false
    offline: ${offline}
    cadence: { cron: "0 0 1 1 *", timezone: UTC }
`,
  );
  return file;
}

it('report --send twice on PostgreSQL: the second shows the change since the first, and both equal the SQLite store\'s emails', async () => {
  const postgres = pg.freshStore();
  const sqlite = join(dir, 'store.sqlite');
  const first = await send(postgres, firstAsOf);
  expect(first).toContain('First report: changes show from the next one.');
  const second = await send(postgres, secondAsOf);
  expect(second).toContain(`Changes since the report of ${firstDay}.`);
  // The change is the difference of the velocities the store gives at the two instants, worked out here.
  const [v1, v2] = [await velocityAt(postgres, firstAsOf), await velocityAt(postgres, secondAsOf)];
  expect(v1).not.toBe(v2);
  expect(second).toContain(`Velocity: ${num(v2)} pts (`);
  expect(second).toMatch(new RegExp(`\\] Velocity: [^\\n]* — ${v2 > v1 ? 'up' : 'down'} ${num(Math.abs(v2 - v1)).replace('.', '\\.')} pts[,\\n]`));
  // Another audience has not seen a report yet.
  expect(await send(postgres, secondAsOf, 'someone-else@example.com', true)).toContain('First report');
  // The same two sends on SQLite give the same two emails.
  expect(await send(sqlite, firstAsOf)).toBe(first);
  expect(await send(sqlite, secondAsOf)).toBe(second);
}, 120_000);

it('schedule --once on PostgreSQL: reads what report sent, sends a period once, and two schedulers at once send it once', async () => {
  const postgres = pg.freshStore();
  await send(postgres, firstAsOf, 'coach@example.com');
  const config = schedules(postgres, 'coach@example.com');
  const before = sink.received.length;
  const once = await agileKpiAsync(['schedule', '--config', config, '--once'], env);
  expect(once.stderr).toBe('');
  expect(once.stdout).toMatch(/yearly: sent "agile-kpi: /);
  expect(once.code).toBe(0);
  await sink.waitFor(before + 1);
  expect((await sink.received[before]!.parse()).text).toContain(`Changes since the report of ${firstDay}.`);
  const again = await agileKpiAsync(['schedule', '--config', config, '--once'], env);
  expect(again.stdout).toBe('nothing due: every report of this period was sent already\n');
  expect(sink.received.length).toBe(before + 1);

  // A second instance: two schedulers on a fresh store start together; the period's lock lets one send it.
  const shared = schedules(pg.freshStore(), 'pair@example.com', false);
  const pair = await Promise.all([agileKpiAsync(['schedule', '--config', shared, '--once'], env), agileKpiAsync(['schedule', '--config', shared, '--once'], env)]);
  expect(pair.map((r) => r.code)).toEqual([0, 0]);
  expect(pair.filter((r) => /yearly: sent /.test(r.stdout))).toHaveLength(1);
  expect(pair.filter((r) => r.stdout === 'nothing due: every report of this period was sent already\n')).toHaveLength(1);
  expect(sink.received.filter((m) => m.to.includes('pair@example.com'))).toHaveLength(1);
}, 120_000);

it('serve --config runs the reports: of an org.yml whose store is PostgreSQL', async () => {
  const postgres = pg.freshStore();
  const org = join(dir, 'org.yml');
  writeFileSync(org, `store: "${postgres}"\nreports: ${schedules('ignored.sqlite', 'org@example.com')}\nteams:\n  - { id: board, jira: { site: ${jira.url}, board: ${board()} }, time-zone: ${zone} }\n`);
  const io: Io = { stdout: { write: () => true }, stderr: { write: () => true }, isTTY: false, env };
  const before = sink.received.length;
  // The server syncs the board into PostgreSQL, then the yearly report is due at once: serve until it arrives.
  await runServe({ config: org, port: '0' }, io, () => sink.waitFor(before + 1, 60_000));
  const mail = sink.received[before]!;
  expect(mail.to).toEqual(['org@example.com']);
  expect((await mail.parse()).text).toContain('First report: changes show from the next one.');
  // What was sent is kept in PostgreSQL, in the reports' scope (not in the schedules file's SQLite store).
  const schema = new URL(postgres).searchParams.get('schema')!;
  const kept = await pg.sql<{ scope: string; name: string }>(`SELECT c.scope, s.name FROM "${schema}".state s JOIN "${schema}".scopes c USING (scope_id) WHERE c.source = 'agile-kpi' ORDER BY s.name`);
  expect(kept.map((r) => [r.scope, r.name.replace(/:[0-9a-f]{16}:.*/, ':<audience>:<team>')])).toEqual([
    ['reports', 'sent:yearly'],
    ['reports', 'summary:<audience>:<team>'],
  ]);
  expect(existsSync(join(dir, 'ignored.sqlite'))).toBe(false);
}, 120_000);
