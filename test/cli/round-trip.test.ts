import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { ROOT, agileKpi, buildOnce } from './built-cli';

/** demo -> snapshot file -> metrics: the file format is enough to reproduce every number. */

let dir: string;
let snapshotFile: string;
let demoJson: string;

beforeAll(() => {
  buildOnce();
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-e2e-'));
  snapshotFile = join(dir, 'team.json');
  const written = agileKpi(['demo', '--write-snapshot', snapshotFile, '--format', 'json']);
  expect([written.code, written.stderr]).toEqual([0, `wrote ${snapshotFile} (read it back with: agile-kpi metrics --input ${snapshotFile})\n`]);
  demoJson = written.stdout;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('metrics --input on the written snapshot gives exactly the demo JSON', () => {
  const back = agileKpi(['metrics', '--input', snapshotFile, '--format', 'json']);
  expect([back.code, back.stderr]).toEqual([0, '']);
  const demo = JSON.parse(demoJson) as Record<string, { value: unknown }>;
  const metrics = JSON.parse(back.stdout) as Record<string, { value: unknown }>;
  for (const key of ['velocity', 'sprintGoalRate', 'impedimentResolutionTime', 'sprintProgress', 'backlogHealth', 'releasePredictability', 'flow']) {
    expect(demo[key]!.value).not.toBeNull();
    expect([key, metrics[key]!.value]).toEqual([key, demo[key]!.value]);
  }
  expect(back.stdout).toBe(demoJson);
});

test('the text summary is the same too', () => {
  expect(agileKpi(['metrics', '--input', snapshotFile]).stdout).toBe(agileKpi(['demo']).stdout);
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
