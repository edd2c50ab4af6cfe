import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam, snapshotAt } from '@agile-kpi/testkit';
import { type Clock, type Io, type MailTransport, type ScheduleDeps, runSchedule, smtpTransport } from '@agile-kpi/cli';
import { agileKpiAsync, buildOnce } from '../cli/built-cli';
import { type SmtpSink, startSmtpSink } from './smtp-sink';

/**
 * `agile-kpi schedule` with a fake clock that jumps to each due instant (a month of schedules in seconds) and
 * the real SMTP transport delivering to a real SMTP server on loopback. Expected local times are worked out
 * with luxon, independently of croner.
 */
let sink: SmtpSink;
let dir: string;
const team = simulateTeam({ seed: 42 });

beforeAll(async () => {
  sink = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-schedule-'));
  writeFileSync(join(dir, 'team.json'), JSON.stringify(team.snapshot));
});
afterAll(async () => {
  await sink?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  readonly out: string[];
  readonly err: string[];
  /** Every send attempt, at the fake clock's time. */
  readonly attempts: { at: string; to: string; ok: boolean }[];
}

/** Runs the scheduler from `start` until the fake clock would pass `until` (or until --once is done). */
async function schedule(config: string, start: string, until: string, extra: { once?: boolean; load?: ScheduleDeps['load'] } = {}): Promise<Run> {
  const file = join(dir, `schedules-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, config);
  let t = Date.parse(start);
  const end = Date.parse(until);
  const stop = new AbortController();
  const clock: Clock = {
    now: () => t,
    sleep: async (ms, signal) => {
      if (signal?.aborted) return;
      if (t + ms > end) {
        t = end;
        stop.abort();
        return;
      }
      t += ms;
      await new Promise((r) => setImmediate(r));
    },
  };
  const run: Run = { out: [], err: [], attempts: [] };
  const io: Io = { stdout: { write: (s: string) => run.out.push(s) }, stderr: { write: (s: string) => run.err.push(s) }, isTTY: false, env: { SMTP_URL: sink.url(), HOME: dir } };
  const transport = (smtp: Parameters<typeof smtpTransport>[0]): MailTransport => {
    const real = smtpTransport(smtp);
    return {
      async sendMail(message) {
        const at = new Date(t).toISOString();
        const to = ([] as unknown[]).concat(message.to).join(',');
        try {
          const info = await real.sendMail(message);
          run.attempts.push({ at, to, ok: true });
          return info;
        } catch (err) {
          run.attempts.push({ at, to, ok: false });
          throw err;
        }
      },
    };
  };
  await runSchedule({ config: file, ...(extra.once ? { once: true } : {}) }, io, { clock, transport, signal: stop.signal, ...(extra.load ? { load: extra.load } : {}) });
  return run;
}

const entry = (name: string, to: string, cadence: string, more = '') => `
  - name: ${name}
    source: file
    teams: [team.json]
    recipients: [${to}]
    charts: false
    cadence: ${cadence}${more}`;

/** `hh:mm` local on each date, as UTC instants (luxon, not croner). */
const localTimes = (dates: string[], time: string, zone: string) =>
  dates.map((d) => DateTime.fromISO(`${d}T${time}`, { zone }).toUTC().toISO({ suppressMilliseconds: false })!);

test('cron entries fire at their local time across both DST changes (Europe/Berlin and America/New_York)', async () => {
  const config = `from: agile-kpi <kpi@example.com>\nstore: dst.sqlite\ncatch-up: 10m\nentries:${entry('monday-berlin', 'berlin@example.com', '{ cron: "0 8 * * MON", timezone: Europe/Berlin }')}${entry('daily-new-york', 'ny@example.com', '{ cron: "30 7 * * *", timezone: America/New_York }')}\n`;
  const before = sink.received.length;
  const run = await schedule(config, '2025-03-05T13:00:00Z', '2025-04-02T00:00:00Z');
  expect(run.err).toEqual([]);
  const berlin = run.attempts.filter((a) => a.to === 'berlin@example.com').map((a) => a.at);
  const ny = run.attempts.filter((a) => a.to === 'ny@example.com').map((a) => a.at);
  // 30 March: Berlin moves to summer time, so 08:00 is 06:00 UTC from then on; New York on 9 March.
  expect(berlin).toEqual(localTimes(['2025-03-10', '2025-03-17', '2025-03-24', '2025-03-31'], '08:00', 'Europe/Berlin'));
  expect(berlin.slice(-2)).toEqual(['2025-03-24T07:00:00.000Z', '2025-03-31T06:00:00.000Z']);
  const days = Array.from({ length: 27 }, (_, i) => DateTime.fromISO('2025-03-06').plus({ days: i }).toISODate()!);
  expect(ny).toEqual(localTimes(days, '07:30', 'America/New_York'));
  expect(ny.slice(2, 4)).toEqual(['2025-03-08T12:30:00.000Z', '2025-03-09T11:30:00.000Z']);
  expect(run.attempts.every((a) => a.ok)).toBe(true);
  expect(sink.received.length - before).toBe(berlin.length + ny.length);
  expect(run.out.join('')).toMatch(/monday-berlin: cron "0 8 \* \* MON" in Europe\/Berlin; next 2025-03-10 08:00 Europe\/Berlin/);
  expect(run.out.join('')).toContain('2025-03-31T06:00:00.000Z monday-berlin: sent "agile-kpi: Simulated Team — ');
});

test('autumn: 08:00 Berlin is 07:00 UTC again after 26 October', async () => {
  const config = `from: kpi@example.com\nstore: autumn.sqlite\nentries:${entry('autumn', 'autumn@example.com', '{ cron: "0 8 * * MON", timezone: Europe/Berlin }')}\n`;
  const run = await schedule(config, '2025-10-15T00:00:00Z', '2025-11-04T00:00:00Z');
  expect(run.attempts.map((a) => a.at)).toEqual(['2025-10-20T06:00:00.000Z', '2025-10-27T07:00:00.000Z', '2025-11-03T07:00:00.000Z']);
});

test('after-sprint-close: the first check at 09:00 local after each sprint closes, before and after DST', async () => {
  const zone = 'Europe/Berlin';
  const config = `from: kpi@example.com\nstore: sprints.sqlite\nentries:
  - name: sprint-close
    source: file
    teams: [team.json]
    recipients: [lead@example.com]
    charts: false
    cadence: { after-sprint-close: { at: "09:00", timezone: ${zone} } }\n`;
  const asOf = Date.parse(team.snapshot.asOf);
  // The synced data as the tracker has it each morning: the simulated team cut at the fake clock's instant.
  const load: ScheduleDeps['load'] = async (_entry, now) => [computeMetrics(parseSnapshot(snapshotAt(team, Math.min(now, asOf)).snapshot))];
  const start = '2025-03-12T00:00:00Z';
  const until = '2025-04-16T00:00:00Z';
  const before = sink.received.length;
  const run = await schedule(config, start, until, { load });
  const closes = team.snapshot.sprints
    .map((s) => ({ name: s.name, closedAt: s.closedAt ? Date.parse(s.closedAt) : NaN }))
    .filter((s) => s.closedAt > Date.parse(start) && s.closedAt < Date.parse(until));
  expect(closes.map((s) => s.name)).toEqual(['SIM Sprint 5', 'SIM Sprint 6', 'SIM Sprint 7']);
  const expected = closes.map((s) => {
    const local = DateTime.fromMillis(s.closedAt, { zone });
    const nine = local.set({ hour: 9, minute: 0, second: 0, millisecond: 0 });
    return (nine < local ? nine.plus({ days: 1 }) : nine).toUTC().toISO()!;
  });
  expect(run.attempts.map((a) => a.at)).toEqual(expected);
  // 17 March is winter time (08:00 UTC), 31 March and 14 April summer time (07:00 UTC).
  expect(expected.map((e) => e.slice(11, 16))).toEqual(['08:00', '07:00', '07:00']);
  const texts = await Promise.all(sink.received.slice(before).map(async (m) => (await m.parse()).text ?? ''));
  closes.forEach((s, i) => expect(texts[i]).toMatch(new RegExp(`Velocity \\d+(\\.\\d)? pts in ${s.name}, `)));
  expect(run.out.join('')).toContain('sprint-close: sent "agile-kpi: Simulated Team — velocity');
  expect(run.out.join('')).toContain('(Simulated Team: SIM Sprint 6 closed)');
});

test('a failing SMTP server gets retries with back-off while the other entries still send', async () => {
  const config = `from: kpi@example.com\nstore: retry.sqlite\nentries:${entry('flaky', 'flaky@example.com', '{ cron: "0 8 * * MON", timezone: Europe/Berlin }')}${entry('steady', 'steady@example.com', '{ cron: "0 8 * * MON", timezone: Europe/Berlin }')}\n`;
  sink.failRecipient('flaky@example.com', 2, 451);
  const before = sink.received.length;
  const run = await schedule(config, '2025-03-23T12:00:00Z', '2025-03-24T12:00:00Z');
  expect(run.attempts).toEqual([
    { at: '2025-03-24T07:00:00.000Z', to: 'flaky@example.com', ok: false },
    { at: '2025-03-24T07:00:00.000Z', to: 'steady@example.com', ok: true },
    { at: '2025-03-24T07:01:00.000Z', to: 'flaky@example.com', ok: false },
    { at: '2025-03-24T07:03:00.000Z', to: 'flaky@example.com', ok: true },
  ]);
  const err = run.err.join('');
  expect(err).toMatch(/^2025-03-24T07:00:00\.000Z flaky: send failed: smtp:\/\/127\.0\.0\.1:\d+ refused the sender or a recipient \(the server said: 451 [^)]*\); retry 1 of 4 in 1 min\n/);
  expect(err).toMatch(/\n2025-03-24T07:01:00\.000Z flaky: send failed: .*; retry 2 of 4 in 2 min\n$/);
  expect(run.err).toHaveLength(2);
  const got = sink.received.slice(before).map((m) => m.to.join(','));
  expect(got.sort()).toEqual(['flaky@example.com', 'steady@example.com']);
});

test('a permanent refusal gives up after the configured tries and says the period stays unsent', async () => {
  const config = `from: kpi@example.com\nstore: giveup.sqlite\nretry: { attempts: 2, first-delay: 30s }\nentries:${entry('refused', 'refused@example.com', '{ cron: "0 8 * * MON", timezone: Europe/Berlin }')}\n`;
  sink.failRecipient('refused@example.com', 5, 550);
  const run = await schedule(config, '2025-03-23T12:00:00Z', '2025-03-24T12:00:00Z');
  expect(run.attempts.map((a) => [a.at, a.ok])).toEqual([
    ['2025-03-24T07:00:00.000Z', false],
    ['2025-03-24T07:00:30.000Z', false],
  ]);
  expect(run.err.join('')).toMatch(/refused: send failed: .*550.*; gave up after 2 tries \(the 2025-03-24 08:00 Europe\/Berlin report stays unsent\)\n$/);
  sink.failRecipient('refused@example.com', 0);
});

test('a restart never sends a period twice; a report missed while down is caught up once', async () => {
  const config = `from: kpi@example.com\nstore: restart.sqlite\nentries:${entry('weekly', 'weekly@example.com', '{ cron: "0 8 * * MON", timezone: Europe/Berlin }')}\n`;
  const first = await schedule(config, '2025-03-24T06:50:00Z', '2025-03-24T07:10:00Z');
  expect(first.attempts.map((a) => a.at)).toEqual(['2025-03-24T07:00:00.000Z']);
  // Restarted 20 minutes later: the 08:00 report is within the catch-up window, but it was sent.
  const second = await schedule(config, '2025-03-24T07:20:00Z', '2025-03-24T09:00:00Z');
  expect(second.attempts).toEqual([]);
  const once = await schedule(config, '2025-03-24T07:30:00Z', '2025-03-24T07:30:00Z', { once: true });
  expect(once.attempts).toEqual([]);
  expect(once.out.join('')).toBe('nothing due: every report of this period was sent already\n');
  // Down over the next Monday 08:00, back at 10:15: that report goes out at once, and once only.
  const down = await schedule(config, '2025-03-31T08:15:00Z', '2025-04-01T00:00:00Z');
  expect(down.attempts.map((a) => a.at)).toEqual(['2025-03-31T08:15:00.000Z']);
  expect(down.out.join('')).toContain('(the 2025-03-31 08:00 Europe/Berlin report)');
  const again = await schedule(config, '2025-03-31T09:00:00Z', '2025-03-31T09:00:00Z', { once: true });
  expect(again.attempts).toEqual([]);
});

describe('the built command', () => {
  beforeAll(() => buildOnce());

  test('--once from cron: sends what is due, then nothing until the next period', async () => {
    const config = join(dir, 'cron.yml');
    writeFileSync(config, `from: kpi@example.com\nstore: cron.sqlite\nentries:\n  - name: every-minute\n    source: demo\n    teams: [42]\n    recipients: cron@example.com\n    cadence: { cron: "* * * * *", timezone: UTC }\n`);
    const env = { SMTP_URL: sink.url(), HOME: dir };
    const before = sink.received.length;
    const first = await agileKpiAsync(['schedule', '--config', config, '--once'], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^\S+Z every-minute: sent "agile-kpi: Simulated Team — velocity /);
    await sink.waitFor(before + 1);
    const mail = await sink.received[before]!.parse();
    expect(mail.attachments.length).toBeGreaterThanOrEqual(3);
    // Within the same minute nothing is due again (a later minute would be a new period).
    const second = await agileKpiAsync(['schedule', '--config', config, '--once'], env);
    expect(second.code).toBe(0);
    if (second.stdout.startsWith('nothing due')) expect(sink.received.length).toBe(before + 1);
    else expect(second.stdout).toMatch(/every-minute: sent /);
  });

  test('a config with mistakes is refused on start, each problem named by entry and field', async () => {
    const config = join(dir, 'bad.yml');
    writeFileSync(
      config,
      `entries:\n  - name: weekly\n    source: jira\n    teams: [42]\n    recipients: [lead@example.com, nobody@]\n    cadence: { cron: "0 8 * * MON", timezone: Europe/Berlln }\n  - name: weekly\n    source: demo\n    teams: [1]\n    recipients: a@example.com\n    cadence: { after-sprint-close: { at: "9am" } }\n`,
    );
    const r = await agileKpiAsync(['schedule', '--config', config], { HOME: dir, SMTP_URL: sink.url() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toContain(`${config}: 5 problems: `);
    expect(r.stderr).toContain("entries[0] (weekly).cadence.timezone: an IANA time zone such as Europe/Berlin, got 'Europe/Berlln'");
    expect(r.stderr).toContain("entries[0] (weekly).recipients: 'nobody@' is not an email address");
    expect(r.stderr).toContain('entries[0] (weekly).site: no Jira site: set site: https://your-domain.atlassian.net on the entry, or JIRA_URL');
    expect(r.stderr).toContain("entries[1] (weekly).name: 'weekly' is used by an earlier entry");
    expect(r.stderr).toContain(`entries[1] (weekly).cadence.after-sprint-close.at: a local time like "09:00", got '9am'`);
  });
});
