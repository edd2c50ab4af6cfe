import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import type { MetricsReport } from '@agile-kpi/core';
import { type SimulatedJira, simulateTeam, startSimulatedJira } from '@agile-kpi/testkit';
import { ROOT, agileKpiAsync, buildOnce } from './built-cli';

/**
 * `agile-kpi outcomes` with the built command, against a board synced from the simulated Jira: survey files
 * imported all or nothing and once, the team's outcome settings, and `metrics` computing customer satisfaction,
 * feature adoption, ROI and release impact from them.
 */
const team = simulateTeam({ seed: 42 });
// asOf 2025-06-16 (Europe/Berlin): the last complete month, which CSAT and NPS report, is May 2025.
const asOf = team.snapshot.asOf;
let jira: SimulatedJira;
let dir: string;
let env: Record<string, string>;
const board = ['--board', '1'];
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const metrics = async (...extra: string[]) => {
  const r = await agileKpiAsync(['metrics', '--source', 'jira', ...board, '--offline', '--format', 'json', '--as-of', asOf, ...extra], env);
  if (r.code !== 0) throw new Error(`metrics failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as MetricsReport;
};

// Ten CSAT ratings in May 2025: 5 5 4 4 4 3 2 5 4 1.
const CSAT = ['Date,Score,Segment', '2025-05-05,5,"Acme, Inc"', '2025-05-06,5,', '2025-05-07,4,', '2025-05-08,4,', '2025-05-09,4,', '2025-05-12,3,', '2025-05-13,2,', '2025-05-14,5,', '2025-05-15,4,', '2025-05-16,1,'].join('\r\n');
// Ten NPS scores in May 2025: 10 9 9 8 7 6 3 10 0 9.
const NPS = JSON.stringify([10, 9, 9, 8, 7, 6, 3, 10, 0, 9].map((score, i) => ({ date: `2025-05-${String(10 + i).padStart(2, '0')}`, score })));

beforeAll(async () => {
  buildOnce();
  jira = await startSimulatedJira({ teams: [team] });
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-cli-outcomes-'));
  env = { JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, AGILE_KPI_STORE: join(dir, 'store.sqlite') };
});
afterAll(async () => {
  await jira.close();
  rmSync(dir, { recursive: true, force: true });
});

it('refuses to import for a board that was never synced, and creates no store', async () => {
  const r = await agileKpiAsync(['outcomes', 'import', file('early.csv', CSAT), '--kind', 'csat', ...board], env);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^agile-kpi: Jira board 1 at http:\/\/127\.0\.0\.1:\d+ has not been synced into .*store\.sqlite yet: run agile-kpi sync --board 1 first/);
  expect(existsSync(env['AGILE_KPI_STORE']!)).toBe(false);
});

it('imports a survey once, and metrics computes CSAT and NPS from it', async () => {
  expect((await agileKpiAsync(['sync', ...board], env)).code).toBe(0);
  const before = await metrics();
  expect(before.customerSatisfaction.value).toBeNull();
  expect(before.customerSatisfaction.reason).toMatch(/^no survey response/);

  const csat = await agileKpiAsync(['outcomes', 'import', file('survey.csv', CSAT), '--kind', 'csat', ...board], env);
  expect(csat).toMatchObject({ code: 0, stderr: '' });
  expect(csat.stdout).toBe('survey.csv -> Jira board 1 (csat): 10 new records; 0 already imported\n');
  const nps = await agileKpiAsync(['outcomes', 'import', file('nps.json', NPS), '--kind', 'nps', ...board], env);
  expect(nps.stdout).toBe('nps.json -> Jira board 1 (nps): 10 new records; 0 already imported\n');
  const again = await agileKpiAsync(['outcomes', 'import', join(dir, 'survey.csv'), '--kind', 'csat', ...board], env);
  expect(again).toMatchObject({ code: 0, stdout: 'survey.csv -> Jira board 1 (csat): 0 new records; 10 already imported\n' });

  const report = await metrics();
  const value = report.customerSatisfaction.value!;
  expect(value.month).toBe('2025-05');
  // CSAT: ratings 4-5 are 5 5 4 4 4 5 4 = 7 of 10 -> share 0.7; mean (5+5+4+4+4+3+2+5+4+1)/10 = 37/10 = 3.7.
  // Wilson 95 %, k = 7, n = 10, z = 1.959964, z² = 3.841459:
  //   centre = 0.7 + z²/(2n) = 0.7 + 0.192073 = 0.892073
  //   spread = z·sqrt(p(1-p)/n + z²/(4n²)) = 1.959964·sqrt(0.021 + 0.0096036) = 1.959964·0.174939 = 0.342874
  //   denominator = 1 + z²/n = 1.384146
  //   low = (0.892073 - 0.342874)/1.384146 = 0.396777 -> 0.397; high = (0.892073 + 0.342874)/1.384146 = 0.892209 -> 0.892
  expect(value.csat).toEqual({ share: 0.7, mean: 3.7, responses: 10, interval: [0.397, 0.892] });
  // NPS: promoters (9-10) 10 9 9 10 9 = 5, passives (7-8) 8 7 = 2, detractors (0-6) 6 3 0 = 3 of 10:
  // 5/10 - 3/10 = 50 % - 30 % = 20. Its interval is a seeded bootstrap: it holds 20, and the same seed gives the same one.
  expect(value.nps).toMatchObject({ score: 20, responses: 10, promoters: 5, passives: 2, detractors: 3 });
  const [low, high] = value.nps!.interval;
  expect(low).toBeLessThan(20);
  expect(high).toBeGreaterThan(20);
  expect(low).toBeGreaterThanOrEqual(-100);
  expect(high).toBeLessThanOrEqual(100);
  expect((await metrics()).customerSatisfaction.value!.nps!.interval).toEqual([low, high]);
  // 10 responses each: under 30, the figures move a lot.
  expect(report.customerSatisfaction.warnings.map((w) => w.code)).toEqual(['few-responses', 'few-responses']);
  // Evidence: the 20 responses of May, each naming its file and row.
  expect(report.customerSatisfaction.evidence).toHaveLength(20);
  expect(JSON.stringify(report.customerSatisfaction.evidence)).toContain('survey.csv row 2');
});

it('a file with bad rows changes nothing: one line per problem, at most 20, then a count; exit 2', async () => {
  const list = () => agileKpiAsync(['outcomes', 'list', ...board], env);
  const listed = (await list()).stdout;
  expect(listed).toMatch(/^ {2}csat\s+10 {2}2025-05-05 to 2025-05-16 {2}\(1 file imported: survey\.csv\)$/m);

  const bad = ['date,score', '2025-05-20,5', '2025-05-21,7', '2025-05-32,4', '2025-05-22,'].join('\n');
  const r = await agileKpiAsync(['outcomes', 'import', file('bad.csv', bad), '--kind', 'csat', ...board], env);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toBe(
    [
      "bad.csv row 3, column score: a CSAT rating is a whole number from 1 to 5, got '7'",
      "bad.csv row 4, column date: expected a date YYYY-MM-DD or an instant with an offset such as 2026-03-02T09:30:00Z, got '2025-05-32'",
      'bad.csv row 5, column score: is empty: every row needs one',
      'agile-kpi: bad.csv: 3 problems, nothing imported (fix them and import the whole file again)',
      '',
    ].join('\n'),
  );

  const many = ['date,score', ...Array.from({ length: 25 }, (_, i) => `2025-05-${String(i + 1).padStart(2, '0')},11`)].join('\n');
  const m = await agileKpiAsync(['outcomes', 'import', file('many.json.csv', many), '--kind', 'csat', ...board], env);
  const lines = m.stderr.trimEnd().split('\n');
  expect(m.code).toBe(2);
  expect(lines).toHaveLength(22);
  expect(lines[19]).toBe("many.json.csv row 21, column score: a CSAT rating is a whole number from 1 to 5, got '11'");
  expect(lines[20]).toBe('... and 5 more problems');
  expect(lines[21]).toBe('agile-kpi: many.json.csv: 25 problems, nothing imported (fix them and import the whole file again)');
  expect(m.stderr).not.toMatch(/\n\s+at /);

  const header = await agileKpiAsync(['outcomes', 'import', file('usage.csv', 'date,feature,users\n2025-05-01,export,3\n'), '--kind', 'usage', ...board], env);
  expect(header.code).toBe(2);
  expect(header.stderr).toMatch(/^usage\.csv row 1, column active users: is missing from the header/);

  expect((await list()).stdout).toBe(listed);
  expect((await metrics()).customerSatisfaction.value!.csat!.responses).toBe(10);
});

it('settings and usage and benefit files: feature adoption and ROI from them', async () => {
  const shipped = (await metrics()).releasePredictability.details.releases.find((r) => r.name === 'SIM 1.0' && r.releasedAt !== null);
  expect(shipped).toBeDefined();
  const settings = await agileKpiAsync(['outcomes', 'settings', ...board, '--cost-per-sprint', '10000 eur', '--feature', 'export=SIM 1.0'], env);
  expect(settings).toMatchObject({ code: 0, stderr: '' });
  expect(settings.stdout).toBe('Outcome settings of Jira board 1:\n  cost per sprint: 10000 EUR\n  features: export=SIM 1.0\n');
  const wrong = await agileKpiAsync(['outcomes', 'settings', ...board, '--cost-per-sprint', '10k'], env);
  expect(wrong.code).toBe(2);
  expect(wrong.stderr).toBe(`agile-kpi: --cost-per-sprint: cost per sprint must be an amount above 0 and a currency code, e.g. 10000 EUR (no thousands separators), got '10k'; none removes it\n`);

  // The release's day in Berlin, then usage rows 0, 7 and 30 days after it: 50, 120 and 250 of 1 000 active users.
  const day0 = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(shipped!.releasedAt!));
  const plus = (days: number) => new Date(Date.parse(`${day0}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
  const usage = ['date,feature,users,Active_Users', `${plus(0)},export,50,1000`, `${plus(7)},export,120,1000`, `${plus(30)},export,250,1000`].join('\n');
  expect((await agileKpiAsync(['outcomes', 'import', file('usage.csv', usage), '--kind', 'usage', ...board], env)).stdout).toMatch(/3 new records; 0 already imported/);
  // Three months of 5 000 EUR of revenue from the release, before asOf: 15 000 EUR.
  const benefit = ['date,amount,currency,release', '2025-03-01,5000,EUR,SIM 1.0', '2025-04-01,5000,EUR,SIM 1.0', '2025-05-01,5000,EUR,SIM 1.0'].join('\n');
  expect((await agileKpiAsync(['outcomes', 'import', file('benefit.csv', benefit), '--kind', 'benefit', ...board], env)).stdout).toMatch(/3 new records; 0 already imported/);

  const report = await metrics();
  const adoption = report.featureAdoption.details.features.find((f) => f.feature === 'export')!;
  expect(adoption.releaseId).toBe(shipped!.releaseId);
  expect(adoption.releasedOn).toBe(day0);
  // 120/1000 = 0.12 at day 7, 250/1000 = 0.25 at day 30; 0.25 is the first at or above the 20 % target: day 30.
  expect(adoption.at).toMatchObject({ '7': 0.12, '30': 0.25 });
  expect(adoption.daysToTarget).toBe(30);

  const roi = report.roi.details.releases.find((r) => r.id === shipped!.releaseId)!;
  expect(roi).toMatchObject({ benefit: 15000, currency: 'EUR' });
  // Each sprint's cost is the 10 000 EUR a sprint costs times the share of its completed points that went to the
  // release (core's unit tests work the shares out by hand; here: the configured cost is the one used). The share is
  // shown to 3 decimals, the cost from the exact share: within 10 000 x 0.0005 + 0.5 (the cost's rounding) = 5.5.
  expect(roi.sprints.length).toBeGreaterThan(0);
  for (const s of roi.sprints) expect(Math.abs(s.cost - 10000 * s.share)).toBeLessThanOrEqual(5.5);
  expect(roi.cost).toBeCloseTo(roi.sprints.reduce((a, s) => a + s.cost, 0), 0);
  expect(roi.roi).toBeCloseTo((15000 - roi.cost!) / roi.cost!, 3);
  expect(report.roi.params).toMatchObject({ costPerSprint: 10000, currency: 'EUR' });

  // Release impact: the released releases, each with the CSAT of the 4 weeks before and after it.
  const impact = report.releaseImpact.details.releases.find((r) => r.releaseId === shipped!.releaseId)!;
  expect(impact.features).toEqual([{ feature: 'export', at30: 0.25 }]);
});

it('names a release the board does not have, beside the figures', async () => {
  const r = await agileKpiAsync(['outcomes', 'import', file('late.csv', 'date,score,release\n2025-05-20,5,SIM 9.9\n'), '--kind', 'csat', ...board], env);
  expect(r.stdout).toMatch(/1 new record; 0 already imported/);
  const report = await metrics();
  expect(report.warnings.filter((w) => w.code === 'outcome-unresolved').map((w) => w.message)).toEqual([
    'the outcome records or settings name release SIM 9.9, which Jira board 1 does not have: nothing is counted for it (check the name, or the mapping: agile-kpi outcomes settings)',
  ]);
  expect(report.customerSatisfaction.value!.csat!.responses).toBe(11);
  // Release impact of the latest release, SIM 1.2, shipped on 2025-05-12 after that day began in Berlin: the
  // answers dated up to 05-12 fall in the 4 weeks before it, the later ones (to asOf) after it.
  //   CSAT before: 5 5 4 4 4 3 -> 5 of 6 = 0.833; after: 2 5 4 1 and late.csv's 5 -> 3 of 5 = 0.6.
  //   NPS before (05-10 .. 05-12): 10 9 9 -> 3 promoters of 3 = +100; after: 8 7 6 3 10 0 9 -> 2 promoters,
  //   3 detractors of 7 = -1/7 = -14.3.
  const impact = report.releaseImpact.value!;
  expect([impact.name, new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin' }).format(new Date(impact.releasedAt))]).toEqual(['SIM 1.2', '2025-05-12']);
  expect([impact.before.csat?.share, impact.before.csat?.responses, impact.after.csat?.share, impact.after.csat?.responses]).toEqual([0.833, 6, 0.6, 5]);
  expect([impact.before.nps?.score, impact.before.nps?.responses, impact.after.nps?.score, impact.after.nps?.responses]).toEqual([100, 3, -14.3, 7]);
  // Wilson 5 of 6: centre 0.833333 + 0.320122 = 1.153455, spread 1.959964·sqrt(0.023148 + 0.026677) = 0.437493,
  // denominator 1.640243 -> [0.715962/1.640243, 1.590948/1.640243] = [0.436497 -> 0.436, 0.969947 -> 0.97];
  // 3 of 5: centre 0.6 + 0.384146 = 0.984146, spread 1.959964·sqrt(0.048 + 0.038415) = 0.576158, denominator
  // 1.768292 -> [0.407988/1.768292, 1.560304/1.768292] = [0.2307 -> 0.231, 0.8824 -> 0.882]. They overlap: no
  // change. NPS: every resample of three promoters is +100 ([100, 100]); after's upper bound is below 100 (seven
  // promoters drawn from two of seven, (2/7)^7, is rarer than 1 in 6 000): down.
  expect(impact.before.csat!.interval).toEqual([0.436, 0.97]);
  expect(impact.after.csat!.interval).toEqual([0.231, 0.882]);
  expect([impact.csatChange, impact.npsChange]).toEqual(['none', 'down']);
  // Each side's responses are the row's evidence, to drill into: the 6 and 5 CSAT ratings, the 3 and 7 NPS scores
  // above, each naming its file and row (the headline value leaves them to the row).
  const row = report.releaseImpact.details.releases.find((r) => r.releaseId === impact.releaseId)!;
  const count = (role: string) => row.evidence.filter((e) => e.role === role).length;
  expect([count('csat-before'), count('csat-after'), count('nps-before'), count('nps-after')]).toEqual([6, 5, 3, 7]);
  expect(row.evidence.filter((e) => e.role === 'csat-after').map((e) => e.key)).toEqual(expect.arrayContaining(['late.csv row 2']));
  expect('evidence' in impact).toBe(false);
  // The whole report, every outcome computed, is what schema/metrics-report.schema.json promises.
  const schema = new Ajv2020({ allErrors: true, strict: true }).compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'metrics-report.schema.json'), 'utf8')));
  expect(schema(report) ? [] : schema.errors).toEqual([]);
  expect([report.featureAdoption.value, report.roi.value, report.releaseImpact.value].map((v) => v !== null)).toEqual([true, true, true]);
});

it('metrics as text shows the customer outcomes block', async () => {
  const r = await agileKpiAsync(['metrics', '--source', 'jira', ...board, '--offline', '--as-of', asOf], env);
  expect(r.code).toBe(0);
  const block = r.stdout.slice(r.stdout.indexOf('\nCustomer outcomes\n'));
  expect(block).toMatch(/^ {2}Customer satisfaction {2}2025-05: CSAT 72\.7% \(mean 3\.82, 11 responses\), NPS \+20 \(10 responses\)/m);
  // May: 7 of 10 ratings 4-5 and the 5 of late.csv: 8 of 11 = 72.7 %, mean (37 + 5)/11 = 3.82.
  expect(block).toMatch(/^ {2}2025-05\s+72\.7%\s+[\d.]+% to [\d.]+%\s+3\.82\s+11\s+\+20\s+\S+ to \S+\s+10$/m);
  expect(block).toMatch(/^ {2}Return on investment {3}ROI -?[\d.]+%: benefit 15000 EUR against a cost of /m);
  expect(block).toMatch(/^ {2}Release impact {9}SIM 1\.2, released 2025-05-12: /m);
});

it('the emailed report carries the customer outcome lines, from the same records', async () => {
  const out = join(dir, 'report');
  const r = await agileKpiAsync(['report', '--source', 'jira', ...board, '--offline', '--as-of', asOf, '--to', 'po@example.com', '--out', out], env);
  expect(r.code).toBe(0);
  const text = readFileSync(join(out, 'report.txt'), 'utf8');
  expect(text).toContain('Customer outcomes');
  // The same May figures as metrics: 8 of 11 ratings 4-5 (72.7 %), mean 3.82; NPS +20 of 10 scores.
  expect(text).toContain('2025-05: CSAT 72.7% (mean 3.82, 11 responses), NPS +20 (10 responses)');
});

it("outcomes remove takes away one file's records, or every record of a kind, and metrics follows", async () => {
  const list = async () => (await agileKpiAsync(['outcomes', 'list', ...board], env)).stdout;
  // csat now holds survey.csv (10) and late.csv (1); list names both files, by the names remove takes.
  expect(await list()).toMatch(/^ {2}csat\s+11 {2}2025-05-05 to 2025-05-20 {2}\(2 files imported: late\.csv, survey\.csv\)$/m);

  const neither = await agileKpiAsync(['outcomes', 'remove', '--kind', 'csat', ...board], env);
  const both = await agileKpiAsync(['outcomes', 'remove', '--kind', 'csat', '--file', 'late.csv', '--all', ...board], env);
  for (const r of [neither, both]) expect([r.code, r.stderr]).toEqual([2, 'agile-kpi: say which records go: --file <name> (as outcomes list names it) or --all\n']);
  const unknown = await agileKpiAsync(['outcomes', 'remove', '--kind', 'csat', '--file', 'lat.csv', ...board], env);
  expect(unknown.code).toBe(2);
  expect(unknown.stderr).toMatch(/^agile-kpi: Jira board 1 has no csat records from a file named lat\.csv: its csat files are late\.csv, survey\.csv\n$/);
  const wrongKind = await agileKpiAsync(['outcomes', 'remove', '--kind', 'csat', '--file', 'nps.json', ...board], env);
  expect(wrongKind.stderr).toMatch(/no csat records from a file named nps\.json: its csat files are late\.csv, survey\.csv\n$/);

  const one = await agileKpiAsync(['outcomes', 'remove', '--kind', 'csat', '--file', 'late.csv', ...board], env);
  expect(one).toMatchObject({ code: 0, stderr: '' });
  expect(one.stdout).toMatch(/^removed 1 csat record of late\.csv from Jira board 1\n$/);
  // Back to the ten ratings of survey.csv: 7 of 10 are 4-5.
  expect((await metrics()).customerSatisfaction.value!.csat).toMatchObject({ share: 0.7, responses: 10 });

  const all = await agileKpiAsync(['outcomes', 'remove', '--kind', 'nps', '--all', ...board], env);
  expect(all.stdout).toMatch(/^removed 10 nps records from Jira board 1/);
  const after = await metrics();
  expect(after.customerSatisfaction.value!.nps).toBeNull();
  expect(after.customerSatisfaction.value!.csat!.responses).toBe(10);
  expect(await list()).toMatch(/^ {2}nps\s+0$/m);
  const none = await agileKpiAsync(['outcomes', 'remove', '--kind', 'nps', '--all', ...board], env);
  expect(none.stderr).toMatch(/^agile-kpi: Jira board 1 has no nps records to remove\n$/);
});
