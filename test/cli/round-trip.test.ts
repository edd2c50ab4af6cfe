import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { ROOT, agileKpi, buildOnce } from './built-cli';

/** demo -> snapshot file -> metrics: the file format is enough to reproduce every number. */

let dir: string;
let snapshotFile: string;
let outcomesFile: string;
let demoJson: string;

beforeAll(() => {
  buildOnce();
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-e2e-'));
  snapshotFile = join(dir, 'team.json');
  outcomesFile = join(dir, 'team.outcomes.json');
  const written = agileKpi(['demo', '--write-snapshot', snapshotFile, '--format', 'json']);
  expect([written.code, written.stderr]).toEqual([0, `wrote ${snapshotFile} and ${outcomesFile} (read them back with: agile-kpi metrics --input ${snapshotFile} --outcomes ${outcomesFile})\n`]);
  demoJson = written.stdout;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('metrics --input on the written snapshot and its outcomes gives exactly the demo JSON', () => {
  const back = agileKpi(['metrics', '--input', snapshotFile, '--outcomes', outcomesFile, '--format', 'json']);
  expect([back.code, back.stderr]).toEqual([0, '']);
  const demo = JSON.parse(demoJson) as Record<string, { value: unknown }>;
  const metrics = JSON.parse(back.stdout) as Record<string, { value: unknown }>;
  for (const key of ['velocity', 'sprintGoalRate', 'impedimentResolutionTime', 'sprintProgress', 'backlogHealth', 'releasePredictability', 'flow', 'customerSatisfaction', 'featureAdoption', 'roi', 'releaseImpact']) {
    expect(demo[key]!.value).not.toBeNull();
    expect([key, metrics[key]!.value]).toEqual([key, demo[key]!.value]);
  }
  expect(back.stdout).toBe(demoJson);
});

test('the text summary is the same too', () => {
  expect(agileKpi(['metrics', '--input', snapshotFile, '--outcomes', outcomesFile]).stdout).toBe(agileKpi(['demo']).stdout);
});

test('without --outcomes the delivery figures are the same and the customer outcomes say what is missing', () => {
  const plain = JSON.parse(agileKpi(['metrics', '--input', snapshotFile, '--format', 'json']).stdout) as Record<string, { value: unknown; reason?: string }>;
  const demo = JSON.parse(demoJson) as Record<string, { value: unknown }>;
  expect(plain['velocity']!.value).toEqual(demo['velocity']!.value);
  expect(plain['customerSatisfaction']!.value).toBeNull();
  expect(plain['customerSatisfaction']!.reason).toMatch(/^no survey response/);
});

test('--outcomes: a bad file gets one line naming it and the field; without --input it is refused', () => {
  const bad = join(dir, 'bad.outcomes.json');
  writeFileSync(bad, JSON.stringify({ responses: [{ id: 'r1', at: '2025-05-01T10:00:00Z', kind: 'csat', score: 9, source: 'survey' }] }));
  const r = agileKpi(['metrics', '--input', snapshotFile, '--outcomes', bad]);
  expect(r.code).toBe(2);
  expect(r.stderr).toBe(`agile-kpi: ${bad}: outcomes: responses.0.score: a CSAT rating is 1 to 5, an NPS score 0 to 10\n`);
  const missing = agileKpi(['metrics', '--input', snapshotFile, '--outcomes', join(dir, 'none.json')]);
  expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/none\.json/)]);
  const alone = agileKpi(['metrics', '--source', 'jira', '--board', '1', '--offline', '--outcomes', outcomesFile]);
  expect([alone.code, alone.stderr]).toEqual([2, expect.stringMatching(/^agile-kpi: --outcomes goes with --input <snapshot file>/)]);
});

test('the written snapshot validates against schema/snapshot.schema.json, and the JSON against the report schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  const snapshotSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'snapshot.schema.json'), 'utf8')));
  const snapshot = JSON.parse(readFileSync(snapshotFile, 'utf8')) as { items: unknown[]; schemaVersion: number };
  expect(snapshot.schemaVersion).toBe(1);
  expect(snapshot.items.length).toBeGreaterThan(50);
  expect(snapshotSchema(snapshot) ? [] : snapshotSchema.errors).toEqual([]);
  const reportSchema = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'schema', 'metrics-report.schema.json'), 'utf8')));
  expect(reportSchema(JSON.parse(demoJson)) ? [] : reportSchema.errors).toEqual([]);
});

test('the schema command prints the same schema the repository publishes', () => {
  const r = agileKpi(['schema']);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(readFileSync(join(ROOT, 'schema', 'snapshot.schema.json'), 'utf8'));
});

test('--as-of and --time-zone override the snapshot before it is checked', () => {
  const r = agileKpi(['metrics', '--input', snapshotFile, '--format', 'json', '--as-of', '2025-04-01T08:00:00Z', '--time-zone', 'America/New_York']);
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as { asOf: string; team: { timeZone: string }; flow: { params: { timeZone: string } } };
  expect(report.asOf).toBe('2025-04-01T08:00:00.000Z');
  expect(report.team.timeZone).toBe('America/New_York');
  expect(report.flow.params.timeZone).toBe('America/New_York');
});
