import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, agileKpi, buildOnce, type BinRun } from './built-cli';

/** Every bad input ends in ONE line on stderr starting "agile-kpi: ", the right exit code and no stack trace. */

let dir: string;
let good: { items: { key: string; createdAt: string; estimate: unknown[]; status: { at: string; value: unknown }[] }[] };

beforeAll(() => {
  buildOnce();
  dir = mkdtempSync(join(tmpdir(), 'agile-kpi-errors-'));
  const file = join(dir, 'good.json');
  expect(agileKpi(['demo', '--sprints', '3', '--write-snapshot', file, '--format', 'json']).code).toBe(0);
  good = JSON.parse(readFileSync(file, 'utf8')) as typeof good;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function expectOneLine(r: BinRun, code: number, line: string | RegExp): void {
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toMatch(/\n\s+at /);
  expect(r.stderr.split('\n')).toHaveLength(2);
  expect(r.stderr.endsWith('\n')).toBe(true);
  if (typeof line === 'string') expect(r.stderr).toBe(`${line}\n`);
  else expect(r.stderr.trimEnd()).toMatch(line);
  expect(r.code).toBe(code);
}

test('a missing file', () => {
  const path = join(dir, 'snapshot.json');
  expectOneLine(agileKpi(['metrics', '--input', path]), 2, `agile-kpi: cannot read ${path}: no such file`);
});

test('a directory', () => {
  expectOneLine(agileKpi(['metrics', '--input', dir]), 2, `agile-kpi: cannot read ${dir}: it is a directory, not a file`);
});

test('invalid JSON, with its line and column', () => {
  const path = file('broken.json', '{\n  "schemaVersion": 1,\n  "team": }\n');
  expectOneLine(agileKpi(['metrics', '--input', path]), 2, `agile-kpi: ${path}: not valid JSON (Unexpected token } at line 3 column 11)`);
});

test('a snapshot that breaks the schema names the field and the item', () => {
  const broken = structuredClone(good);
  const item = broken.items[0]!;
  item.estimate = [{ at: item.createdAt, value: '5' }];
  const path = file('schema-break.json', JSON.stringify(broken));
  expectOneLine(
    agileKpi(['metrics', '--input', path]),
    2,
    new RegExp(`^agile-kpi: ${escape(path)}: items\\[0\\] \\(${escape(item.key)}\\)\\.estimate\\[0\\]\\.value: .*expected number, received string`, 'i'),
  );
});

test('a contradictory history (a change before the item was created)', () => {
  const broken = structuredClone(good);
  const item = broken.items[0]!;
  const before = new Date(Date.parse(item.createdAt) - 86_400_000).toISOString();
  item.status.push({ at: before, value: item.status[0]!.value });
  const path = file('contradiction.json', JSON.stringify(broken));
  expectOneLine(
    agileKpi(['metrics', '--input', path]),
    2,
    new RegExp(`^agile-kpi: ${escape(path)}: items\\[0\\] \\(${escape(item.key)}\\)\\.status\\[\\d+\\]: a change at ${escape(before)} is before the item was created`),
  );
});

test('a bad option value', () => {
  expectOneLine(agileKpi(['demo', '--velocity-sprints', 'abc']), 2, "agile-kpi: --velocity-sprints must be a whole number >= 1, got 'abc'");
  expectOneLine(agileKpi(['metrics', '--input', 'x.json', '--goal-threshold', '2']), 2, "agile-kpi: --goal-threshold must be a ratio above 0 and at most 1, e.g. 0.8, got '2'");
});

test('an unknown command and an unknown option: commander\'s message, exit 2', () => {
  expectOneLine(agileKpi(['frobnicate']), 2, "agile-kpi: unknown command 'frobnicate' (see agile-kpi --help)");
  expectOneLine(agileKpi(['demo', '--seeed', '3']), 2, "agile-kpi: unknown option '--seeed' (Did you mean --seed?) (see agile-kpi demo --help)");
});

test('an unwritable --out', () => {
  const blocker = file('blocker', 'a file where a directory should be');
  expectOneLine(agileKpi(['demo', '--out', join(blocker, 'results')]), 2, `agile-kpi: cannot write ${join(blocker, 'results', 'metrics.json')}: a part of the path is a file, not a directory`);
});

test('a reader that closes the pipe early (| head) is not an error and gets no stack trace', () => {
  const bin = join(ROOT, 'packages', 'cli', 'bin', 'agile-kpi.js');
  const r = spawnSync('sh', ['-c', `"${process.execPath}" "${bin}" demo --format json | head -c 20 >/dev/null`], {
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '' },
  });
  expect([r.status, r.stderr]).toEqual([0, '']);
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
