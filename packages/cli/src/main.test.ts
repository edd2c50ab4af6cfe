import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { bindOutcomes, computeMetrics, parseOutcomes, parseSnapshot, type MetricsReport } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { throughJira } from './commands/demo';
import { demoOutcomes } from './outcomes/demo-outcomes';
import { main, type Io } from './main';
import { allWarnings, num } from './render-text';
import { KPI_KEYS, kpiLights } from '@agile-kpi/presentation';

const SCHEMA_DIR = join(__dirname, '..', '..', '..', 'schema');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(argv: string[], { isTTY = false, env = {} as Record<string, string> } = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: Io = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    isTTY,
    env,
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

/**
 * The report the demo should print: the simulated team through the simulated Jira and the adapter (proved
 * equal to the simulator's own model in test/jira), then core.
 */
async function expectedReport(seed = 42): Promise<MetricsReport> {
  const team = simulateTeam({ seed, featureEpics: ['export', 'search'] });
  const snapshot = parseSnapshot(await throughJira(team));
  const { records, settings } = demoOutcomes(team);
  return computeMetrics(snapshot, { releasePredictability: { seed } }, parseOutcomes(bindOutcomes(snapshot, records, settings).outcomes));
}

let expected: MetricsReport;
beforeAll(async () => {
  expected = await expectedReport();
});

describe('agile-kpi demo (in-process)', () => {
  test('prints the header, one line per KPI with its light, the tables and the warnings count', async () => {
    const { code, stdout, stderr } = await run(['demo']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = stdout.split('\n');
    expect(lines[0]).toContain(`${expected.team.name} (${expected.team.id}) · time zone ${expected.team.timeZone}`);
    expect(lines[1]).toContain(`(${expected.asOf})`);

    const lights = kpiLights(expected);
    const labels = ['Velocity', 'Sprint goal rate', 'Impediment resolution', 'Sprint progress', 'Backlog health', 'Release predictability', 'Flow'];
    const kpiLines = lines.slice(3, 10);
    KPI_KEYS.forEach((key, i) => {
      expect(kpiLines[i]).toMatch(new RegExp(`^\\[${lights[key] ?? 'n/a'}\\]\\s+${labels[i]}  `));
    });
    // Real values, read from the report computed independently above.
    const v = expected.velocity.value!;
    expect(kpiLines[0]).toContain(
      `${num(v.velocity)} pts (last ${v.sprintsAveraged} sprints; median ${num(v.median)}, CV ${num(v.coefficientOfVariation!, 2)}, trend ${v.trend! > 0 ? '+' : ''}${num(v.trend!)}/sprint, say/do ${num(v.sayDo!, 2)})`,
    );
    const g = expected.sprintGoalRate.value!;
    expect(kpiLines[1]).toContain(`${g.met} met, ${g.partly} partly, ${g.missed} missed of the last ${g.sprintsConsidered} closed sprints`);
    const p = expected.sprintProgress.value!;
    expect(kpiLines[3]).toContain(`${p.name}: ${num(p.completed)} of ${num(p.scope)} pts done, ${num(p.remaining)} left`);
    expect(kpiLines[4]).toContain(`${num(expected.backlogHealth.value!.score)}/100`);
    expect(kpiLines[6]).toContain(`WIP ${expected.flow.value!.wip}, ${expected.flow.value!.agingAboveP85} aging above p85`);

    // Velocity table: one row per sprint with its committed and completed points.
    for (const s of expected.velocity.details.sprints) {
      const row = lines.find((l) => l.trimStart().startsWith(s.state === 'active' ? `${s.name} (active)` : `${s.name} `));
      expect(row).toBeDefined();
      expect(row!.trim().split(/\s{2,}/).slice(1, 3)).toEqual([num(s.committed.points), num(s.completed.points)]);
    }
    for (const title of ['Velocity per sprint', 'Sprint goals', 'Open impediments', 'burndown', 'Backlog health: score', 'Releases']) {
      expect(stdout).toContain(title);
    }
    for (const s of expected.sprintGoalRate.details.sprints) expect(stdout).toMatch(new RegExp(`${s.name}\\s+${s.outcome}\\s`));
    for (const r of expected.releasePredictability.details.releases) expect(stdout).toContain(r.name);
    const warnings = allWarnings(expected).length;
    expect(lines.filter(Boolean).at(-1)).toMatch(new RegExp(`^${warnings} warnings? \\(.*\\)\\. Run with --format json for the full evidence`));
    // No colour without a terminal.
    expect(stdout).not.toContain('\u001b[');
  });

  test('colours the lights on a terminal, unless NO_COLOR is set', async () => {
    const tty = await run(['demo'], { isTTY: true });
    expect(tty.stdout).toMatch(/\u001b\[3[123]m●\u001b\[39m Velocity/);
    expect(tty.stdout).not.toContain('[green]');
    const noColor = await run(['demo'], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
  });

  test('--format json prints the whole report, and nothing else, matching the documented schema', async () => {
    const { code, stdout, stderr } = await run(['demo', '--format', 'json']);
    expect([code, stderr]).toEqual([0, '']);
    const report = JSON.parse(stdout) as Record<string, { value: unknown }>;
    expect(report).toEqual(JSON.parse(JSON.stringify(expected)));
    for (const key of KPI_KEYS) {
      expect([key, report[key]!.value]).not.toEqual([key, null]);
      expect([key, evidenceCount(report[key])]).not.toEqual([key, 0]);
    }
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    const validate = ajv.compile(JSON.parse(readFileSync(join(SCHEMA_DIR, 'metrics-report.schema.json'), 'utf8')));
    expect(validate(report) ? [] : validate.errors).toEqual([]);
  });

  test('--out writes DIR/metrics.json, the same JSON, and says where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agile-kpi-out-'));
    try {
      const out = join(dir, 'nested', 'results');
      const text = await run(['demo', '--out', out]);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`wrote ${join(out, 'metrics.json')}`);
      expect(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(expected)));
      const json = await run(['demo', '--format', 'json', '--out', out]);
      expect(JSON.parse(json.stdout)).toEqual(JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8')));
      expect(json.stderr).toBe(`wrote ${join(out, 'metrics.json')}\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('options reach the metrics: --velocity-sprints, --seed, --as-of', async () => {
    const { stdout } = await run(['demo', '--format', 'json', '--velocity-sprints', '5', '--seed', '7', '--as-of', '2025-04-01T08:00:00Z']);
    const report = JSON.parse(stdout) as MetricsReport;
    expect(report.velocity.params['lastN']).toBe(5);
    expect(report.releasePredictability.params['seed']).toBe(7);
    expect(report.asOf).toBe('2025-04-01T08:00:00.000Z');
    const direct = computeMetrics(parseSnapshot({ ...(simulateTeam({ seed: 7 }).snapshot), asOf: '2025-04-01T08:00:00Z' }), {
      velocity: { lastN: 5 },
      releasePredictability: { seed: 7 },
    });
    expect(report.velocity.value).toEqual(direct.velocity.value);
  });
});

describe('agile-kpi errors (in-process)', () => {
  test.each([
    [['demo', '--velocity-sprints', 'abc'], "agile-kpi: --velocity-sprints must be a whole number >= 1, got 'abc'"],
    [['demo', '--format', 'xml'], "agile-kpi: --format must be one of text, json, got 'xml'"],
    [['frobnicate'], "agile-kpi: unknown command 'frobnicate' (see agile-kpi --help)"],
    [['demo', '--frobnicate'], "agile-kpi: unknown option '--frobnicate' (see agile-kpi demo --help)"],
    [['metrics'], "agile-kpi: say where the data comes from: --input <snapshot file> or --source jira --board <id>"],
    [['metrics', '--input', join(__dirname, 'no-such-snapshot.json')], `agile-kpi: cannot read ${join(__dirname, 'no-such-snapshot.json')}: no such file`],
    [['metrics', '--input', __dirname], `agile-kpi: cannot read ${__dirname}: it is a directory, not a file`],
  ])('%j -> one line, exit 2', async (argv, line) => {
    const { code, stdout, stderr } = await run(argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(`${line}\n`);
  });
});

describe('internal errors', () => {
  /** A failing stdout stands in for any bug: main must still return, not throw. */
  async function broken(env: Record<string, string>): Promise<Run> {
    let stderr = '';
    const io: Io = {
      stdout: {
        write: () => {
          throw new TypeError('stdout exploded');
        },
      },
      stderr: { write: (s: string) => (stderr += s) },
      isTTY: false,
      env,
    };
    const code = await main(['schema'], io);
    return { code, stdout: '', stderr };
  }

  test('exit 1 with one line and no stack trace...', async () => {
    const { code, stderr } = await broken({});
    expect(code).toBe(1);
    expect(stderr).toBe('agile-kpi: internal error: stdout exploded (a bug in agile-kpi; set AGILE_KPI_DEBUG=1 to see the stack trace)\n');
  });

  test('...unless AGILE_KPI_DEBUG=1 asks for the stack', async () => {
    const { code, stderr } = await broken({ AGILE_KPI_DEBUG: '1' });
    expect(code).toBe(1);
    expect(stderr).toMatch(/^agile-kpi: internal error: stdout exploded .*\nTypeError: stdout exploded\n\s+at /);
  });
});

describe('help, version and schema', () => {
  test.each([[[]], [['demo']], [['metrics']], [['schema']]])('%j --help exits 0 with examples', async (argv) => {
    const { code, stdout } = await run([...argv, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/Examples:\n {2}\$ agile-kpi /);
  });

  test('--version prints the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string };
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
  });

  test('schema prints the snapshot JSON Schema that is checked into the repository', async () => {
    const { code, stdout } = await run(['schema']);
    expect(code).toBe(0);
    expect(stdout).toBe(readFileSync(join(SCHEMA_DIR, 'snapshot.schema.json'), 'utf8'));
  });
});

/** Evidence rows anywhere in a result: at its top or inside its details (per sprint, per release...). */
function evidenceCount(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((a: number, x) => a + evidenceCount(x), 0);
  if (!node || typeof node !== 'object') return 0;
  return Object.entries(node).reduce((a, [k, v]) => a + (k === 'evidence' && Array.isArray(v) ? v.length : evidenceCount(v)), 0);
}
