import { agileKpi, buildOnce } from './built-cli';

beforeAll(() => buildOnce());

/** date-fns' habit: the same inputs must give the same results whatever the machine's zone (sprints cross DST). */
test('the built demo gives identical JSON and text under TZ=UTC and TZ=Pacific/Auckland', () => {
  const utc = agileKpi(['demo', '--format', 'json'], { TZ: 'UTC' });
  const auckland = agileKpi(['demo', '--format', 'json'], { TZ: 'Pacific/Auckland' });
  expect([utc.code, auckland.code]).toEqual([0, 0]);
  expect(JSON.parse(auckland.stdout)).toEqual(JSON.parse(utc.stdout));
  expect(auckland.stdout).toBe(utc.stdout);
  expect(agileKpi(['demo'], { TZ: 'Pacific/Auckland' }).stdout).toBe(agileKpi(['demo'], { TZ: 'UTC' }).stdout);
});

test.each([[[] as string[]], [['demo']], [['metrics']], [['schema']]])('agile-kpi %j --help exits 0 and shows an example', (argv) => {
  const r = agileKpi([...argv, '--help']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^Usage: agile-kpi/);
  expect(r.stdout).toMatch(new RegExp(`Examples:\\n {2}\\$ agile-kpi ${argv[0] ?? ''}`));
});

test('--version', () => {
  const r = agileKpi(['--version']);
  expect([r.code, r.stdout]).toEqual([0, '0.1.0\n']);
});

test('the demo prints one line per KPI without colour when NO_COLOR is set', () => {
  const r = agileKpi(['demo']);
  expect(r.code).toBe(0);
  const kpi = r.stdout.split('\n').filter((l) => /^\[(green|amber|red|n\/a)\]/.test(l));
  expect(kpi.map((l) => l.replace(/^\[\S+\]\s+/, '').split('  ')[0])).toEqual([
    'Velocity',
    'Sprint goal rate',
    'Impediment resolution',
    'Sprint progress',
    'Backlog health',
    'Release predictability',
    'Flow',
  ]);
  expect(r.stdout).not.toContain('\u001b[');
});
