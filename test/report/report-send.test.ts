import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { KPI_LABELS } from '@agile-kpi/presentation';
import { leadSentences } from '@agile-kpi/report';
import { simulateTeam } from '@agile-kpi/testkit';
import { throughJira } from '@agile-kpi/cli';
import { agileKpiAsync, buildOnce } from '../cli/built-cli';
import { type SmtpSink, SMTP_PASS, SMTP_USER, pngSize, startSmtpSink } from './smtp-sink';

/**
 * `agile-kpi report --demo --send`, the built command in its own process, delivering to a real SMTP server on
 * loopback (login, STARTTLS or TLS); the received message is parsed with mailparser and checked part by part.
 * And `--out`: the dry run's files.
 */
let sink: SmtpSink;
let dir: string;
let env: Record<string, string>;
let sentences: string[];

beforeAll(async () => {
  buildOnce();
  sink = await startSmtpSink();
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-report-'));
  env = { HOME: dir, AGILE_KPI_STORE: join(dir, 'store.sqlite'), SMTP_URL: sink.url() };
  const report = computeMetrics(parseSnapshot(await throughJira(simulateTeam({ seed: 42 }))));
  sentences = Object.values(leadSentences(report)).map((s) => s.text);
});
afterAll(async () => {
  await sink?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every inline image is a PNG at twice its layout size, referenced by cid; every cid in the HTML has its image. */
function checkImages(mail: ParsedMail): void {
  const html = String(mail.html);
  const images = mail.attachments.filter((a) => a.contentType === 'image/png');
  expect(images.length).toBeGreaterThanOrEqual(3);
  for (const img of images) {
    expect(img.contentDisposition).toBe('inline');
    expect(img.cid).toBeTruthy();
    expect(pngSize(img.content)).toEqual({ width: 1120, height: 560 });
    expect(html).toContain(`src="cid:${img.cid}"`);
  }
  const referenced = [...html.matchAll(/cid:([^"'\s)>]+)/g)].map((m) => m[1]);
  expect(new Set(referenced)).toEqual(new Set(images.map((i) => i.cid)));
  for (const m of html.matchAll(/<img [^>]*>/g)) expect(m[0]).toMatch(/alt="[^"]{20,}"/);
}

test('--send delivers the report over STARTTLS with a login: subject, recipients, text, HTML and inline PNG charts', async () => {
  const run = await agileKpiAsync(['report', '--demo', '--send', '--to', 'lead@example.com,"Coach, Ann" <coach@example.com>', '--from', 'agile-kpi <kpi@example.com>'], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  await sink.waitFor(1);
  const got = sink.received[0]!;
  expect(got.secure).toBe(true);
  expect(got.user).toBe(SMTP_USER);
  expect(got.from).toBe('kpi@example.com');
  expect(got.to).toEqual(['lead@example.com', 'coach@example.com']);
  const mail = await got.parse();
  expect(mail.subject).toMatch(/^agile-kpi: Simulated Team — velocity \d+(\.\d)? pts, goal (met|missed|partly met), \d+ impediments? open$/);
  expect(run.stdout).toContain(`sent "${mail.subject}" to lead@example.com, "Coach, Ann" <coach@example.com> through smtp://127.0.0.1:${sink.port}`);
  expect(mail.from?.value).toEqual([{ address: 'kpi@example.com', name: 'agile-kpi' }]);
  const to = Array.isArray(mail.to) ? mail.to.flatMap((a) => a.value) : mail.to!.value;
  expect(to).toEqual([
    { address: 'lead@example.com', name: '' },
    { address: 'coach@example.com', name: 'Coach, Ann' },
  ]);
  expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
  // The plain-text part: every KPI and the sentence worked out from the same simulated team.
  expect(mail.text).toContain('agile-kpi health report: Simulated Team');
  expect(mail.text).toContain('First report: changes show from the next one.');
  for (const label of Object.values(KPI_LABELS)) expect(mail.text).toMatch(new RegExp(`\\[(GREEN|AMBER|RED|NO LIGHT)\\] ${label}: `));
  for (const s of sentences) expect(mail.text).toContain(s);
  // The HTML part: MJML's document with the same sentences (escaped as HTML) and the charts.
  const html = String(mail.html);
  expect(html).toMatch(/^<!doctype html>/i);
  for (const s of sentences) expect(html).toContain(s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
  checkImages(mail);
});

test('the next report shows the change since the one sent to the same people', async () => {
  const before = sink.received.length;
  const run = await agileKpiAsync(['report', '--demo', '--send', '--to', 'coach@example.com, lead@example.com'], env);
  expect(run.code).toBe(0);
  await sink.waitFor(before + 1);
  const mail = await sink.received[before]!.parse();
  expect(mail.text).toContain('Changes since the report of 2025-06-16.');
  expect(mail.text).toMatch(/\] Velocity: .* — unchanged\n/);
  // Another audience has not seen a report yet.
  const other = await agileKpiAsync(['report', '--demo', '--send', '--to', 'someone-else@example.com'], env);
  expect(other.code).toBe(0);
  await sink.waitFor(before + 2);
  expect((await sink.received[before + 1]!.parse()).text).toContain('First report');
});

test('smtps:// speaks TLS from the first byte', async () => {
  const tls = await startSmtpSink({ secure: true });
  try {
    const run = await agileKpiAsync(['report', '--demo', '--send', '--no-charts', '--to', 'lead@example.com'], { ...env, SMTP_URL: tls.url() });
    expect(run.code).toBe(0);
    await tls.waitFor(1);
    expect(tls.received[0]!.secure).toBe(true);
    expect((await tls.received[0]!.parse()).attachments).toEqual([]);
  } finally {
    await tls.close();
  }
});

test('a refused login, an unreachable server and bad options end in one line and the right exit code', async () => {
  const before = sink.received.length;
  const login = await agileKpiAsync(['report', '--demo', '--send', '--to', 'lead@example.com'], { ...env, SMTP_URL: sink.url({ pass: 'wrong' }) });
  expect(login.code).toBe(2);
  expect(login.stderr).toMatch(/^agile-kpi: smtp:\/\/127\.0\.0\.1:\d+ refused the login: check the user and password in the SMTP URL \(the server said: 535[^\n]*\)\n$/);
  expect(login.stderr).not.toContain(SMTP_PASS);
  const closed = await startSmtpSink();
  const port = closed.port;
  await closed.close();
  const down = await agileKpiAsync(['report', '--demo', '--send', '--to', 'lead@example.com', '--smtp', `smtp://127.0.0.1:${port}`], env);
  expect(down.code).toBe(3);
  expect(down.stderr).toMatch(new RegExp(`^agile-kpi: could not talk to smtp://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED.*\\n$`));
  const cases: [string[], RegExp][] = [
    [['--to', 'bob@'], /^agile-kpi: --to: 'bob@' is not an email address \(expected name@domain, e\.g\. lead@example\.com\)\n$/],
    [['--to', 'a@example.com', '--out', dir], /^agile-kpi: give either --send or --out <dir>, not both/],
    [[], /^agile-kpi: --to is required: who gets the report/],
    [['--to', 'a@example.com', '--smtp', 'http://mail.example.com'], /^agile-kpi: --smtp must start with smtp:\/\/ \(STARTTLS\) or smtps:\/\/ \(TLS\), got 'http:\/\/mail\.example\.com'\n$/],
    [['--to', 'a@example.com', '--dashboard-url', 'javascript:alert(1)'], /^agile-kpi: --dashboard-url must be an http\(s\) URL/],
  ];
  for (const [args, message] of cases) {
    const r = await agileKpiAsync(['report', '--demo', '--send', ...args], env);
    expect([args.join(' '), r.code, r.stderr]).toEqual([args.join(' '), 2, expect.stringMatching(message)]);
  }
  expect(sink.received.length).toBe(before);
});

test('--out writes report.eml, report.html with its charts, and report.txt', async () => {
  const out = join(dir, 'out');
  const run = await agileKpiAsync(['report', '--demo', '--to', 'lead@example.com', '--out', out, '--dashboard-url', 'http://127.0.0.1:4000/'], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const files = readdirSync(out).sort();
  expect(files).toEqual(['report.eml', 'report.html', 'report.txt', 'simulated-team-burndown.png', 'simulated-team-release-forecast.png', 'simulated-team-throughput.png', 'simulated-team-velocity.png']);
  const mail = await simpleParser(readFileSync(join(out, 'report.eml')), { keepCidLinks: true });
  expect(run.stdout.split('\n')[0]).toBe(mail.subject);
  checkImages(mail);
  expect(readFileSync(join(out, 'report.eml'), 'latin1')).toMatch(/\r\n/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  expect(html).not.toContain('cid:');
  for (const m of html.matchAll(/<img [^>]*src="([^"]+)"/g)) expect(existsSync(join(out, m[1]!))).toBe(true);
  expect(html).toContain('http://127.0.0.1:4000/?view=velocity');
  expect(readFileSync(join(out, 'report.txt'), 'utf8')).toBe(mail.text);
});

test('several teams make one email with a roll-up', async () => {
  const out = join(dir, 'rollup');
  const run = await agileKpiAsync(['report', '--demo', '--teams', '3', '--to', 'head@example.com', '--out', out, '--no-charts'], env);
  expect(run.code).toBe(0);
  expect(run.stdout.split('\n')[0]).toMatch(/^agile-kpi: 3 teams — (\d+ (red|amber|green)(, )?)+$/);
  const text = readFileSync(join(out, 'report.txt'), 'utf8');
  for (const name of ['Team 01', 'Team 02', 'Team 03']) expect(text).toContain(`== ${name} (`);
});
