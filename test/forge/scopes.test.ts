import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { getMissingScopes } from '@forge/manifest';
import { simulateTeam } from '@agile-kpi/testkit';
import { ROOT, SPECS, appDir, problems } from './forge-app-dir';
import { type ForgeHarness, forgeHarness } from './forge-harness';
import { MemoryKvs } from './memory-kvs';
import { sendScheduledReports } from '../../src/report-trigger';

/**
 * Least privilege, checked three ways. (1) Every request the app made against the simulated Jira (first and
 * incremental syncs, the fallback to per-issue changelogs, listing boards, saving settings, an outcome upload, a
 * service project's satisfaction ratings)
 * falls under a row of the table below, and the manifest declares each row's scopes. (2) The table agrees with Atlassian's
 * OpenAPI specs wherever they describe the operation (the 2022 specs predate /search/jql and bulkfetch),
 * using @forge/manifest's own scope rule. (3) @forge/lint, which reads scopes off `requestJira(route\`...\`)`
 * calls, is run over a file making exactly the recorded calls. And every declared scope is needed by some row.
 */
interface Row {
  readonly method: 'GET' | 'POST';
  /** The spec's path template. */
  readonly path: string;
  /** Scopes the operation needs (developer.atlassian.com, classic and granular as Atlassian lists them). */
  readonly scopes: readonly string[];
  readonly why: string;
}

const TABLE: readonly Row[] = [
  { method: 'GET', path: '/rest/api/3/myself', scopes: ['read:jira-user'], why: 'the app user’s time zone (JQL dates)' },
  { method: 'GET', path: '/rest/api/3/field', scopes: ['read:jira-work'], why: 'sprint, estimate, flagged and rank fields by type' },
  { method: 'GET', path: '/rest/api/3/status', scopes: ['read:jira-work'], why: 'status categories' },
  { method: 'GET', path: '/rest/api/3/issuetype', scopes: ['read:jira-work'], why: 'issue types (subtasks, impediments)' },
  { method: 'GET', path: '/rest/api/3/filter/{id}', scopes: ['read:jira-work'], why: 'the board filter’s JQL' },
  { method: 'GET', path: '/rest/api/3/project/{projectIdOrKey}/version', scopes: ['read:jira-work'], why: 'versions (releases)' },
  { method: 'GET', path: '/rest/api/3/project/{projectIdOrKey}', scopes: ['read:jira-work'], why: 'a Jira Service Management project’s type (its satisfaction ratings come from the JQL search)' },
  { method: 'GET', path: '/rest/api/3/search/jql', scopes: ['read:jira-work'], why: 'issues (token paging)' },
  { method: 'POST', path: '/rest/api/3/search/jql', scopes: ['read:jira-work'], why: 'issues (token paging)' },
  { method: 'POST', path: '/rest/api/3/search/approximate-count', scopes: ['read:jira-work'], why: 'about how many issues a board has (the first sync’s progress)' },
  { method: 'POST', path: '/rest/api/3/changelog/bulkfetch', scopes: ['read:jira-work'], why: 'full histories, in bulk' },
  { method: 'GET', path: '/rest/api/3/issue/{issueIdOrKey}/changelog', scopes: ['read:jira-work'], why: 'full histories where bulkfetch is missing' },
  { method: 'GET', path: '/rest/agile/1.0/board', scopes: ['read:board-scope:jira-software', 'read:issue-details:jira'], why: 'the boards a gadget can show' },
  { method: 'GET', path: '/rest/agile/1.0/board/{boardId}', scopes: ['read:board-scope:jira-software', 'read:issue-details:jira'], why: 'board name, type, project' },
  {
    method: 'GET',
    path: '/rest/agile/1.0/board/{boardId}/configuration',
    scopes: ['read:board-scope.admin:jira-software', 'read:project:jira'],
    why: 'columns, estimation field, filter',
  },
  { method: 'GET', path: '/rest/agile/1.0/board/{boardId}/sprint', scopes: ['read:sprint:jira-software'], why: 'sprints with dates and goals' },
  { method: 'GET', path: '/rest/api/3/issue/{issueIdOrKey}', scopes: ['read:jira-work'], why: 'the issue a gadget’s health report is sent on exists' },
  // Granular: write:jira-work would also let the app edit issues; this one only sends notifications.
  { method: 'POST', path: '/rest/api/3/issue/{issueIdOrKey}/notify', scopes: ['send:notification:jira'], why: 'the health report to the users and groups a gadget lists' },
];

/** Endpoints the adapter has that the Forge app never calls. */
const NOT_CALLED = new Map([
  ['/rest/greenhopper/1.0/rapid/charts/velocity', 'Jira’s velocity chart, for the CLI’s reconciliation only'],
]);

const template = (path: string) => new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}$`);
const rowOf = (method: string, path: string) => TABLE.find((r) => r.method === method && template(r.path).test(path));
const declared = (): string[] => {
  const text = readFileSync(join(ROOT, 'manifest.yml'), 'utf8');
  const block = text.slice(text.indexOf('\n  scopes:'));
  return [...block.matchAll(/^ {4}- ([a-z:.-]+)\s*$/gm)].map((m) => m[1]!);
};

let h: ForgeHarness;
const recorded = new Set<string>();

beforeAll(async () => {
  const team = simulateTeam({ seed: 21, sprints: 5 });
  h = await forgeHarness([team], { pageCaps: { search: 40 }, serviceProjects: [{ key: 'SUP', requests: [{ rating: 4, ratedAt: '2025-03-01T10:00:00Z' }] }] });
  const board = String(h.jira.boards[0]!.id);
  const record = () => {
    for (const r of h.jira.requests.entries) recorded.add(`${r.method} ${r.path}`);
    h.jira.requests.reset();
  };
  const r = h.resolvers();
  await r.listSources({}, h.context('g'));
  await r.saveConfig({ config: { source: board } }, h.context('g'));
  await r.loadMetrics({ config: { source: board } }, h.context('g'));
  // An outcome file uploaded in the settings: kept in the app's storage, no Jira request of its own.
  expect(await r.importOutcomes({ kind: 'csat', name: 'survey.csv', text: 'date,score\n2026-03-02,5\n' }, h.context('g'))).toMatchObject({ ok: true, data: { imported: true } });
  // A service project named in the settings (its type checked), and its ratings read by the next load's sync.
  expect(await r.saveServiceProjects({ projects: ['SUP'] }, h.context('g'))).toMatchObject({ ok: true, data: { serviceProjects: ['SUP'] } });
  expect(await r.loadMetrics({ config: { source: board } }, h.context('g'))).toMatchObject({ ok: true });
  // A gadget that asks for the emailed report, and the daily trigger sending it.
  await r.saveConfig({ config: { source: board, reportRecipients: ['team-leads'], reportIssueKey: team.snapshot.items[0]!.key } }, h.context('g-report'));
  expect(await sendScheduledReports(h.deps())).toMatchObject({ sent: 1 });
  h.jira.site.edit(team.snapshot.items[1]!.key, { status: 'Done' });
  h.advance(2 * 3_600_000);
  await h.refresh();
  record();
  // A site without the bulk changelog endpoint: the adapter falls back to per-issue changelogs.
  const noBulk = h.resolvers({
    kvs: new MemoryKvs(h.now),
    requestJira: async (path, init) =>
      path.startsWith('/rest/api/3/changelog/bulkfetch') ? new Response(JSON.stringify({ errorMessages: ['Not Found'] }), { status: 404 }) : h.requestJira(path, init),
  });
  const loaded = await noBulk.loadMetrics({ config: { source: board } }, h.context('g'));
  expect(loaded.ok).toBe(true);
  record();
});
afterAll(() => h.close());

it('every request the app made is in the table, and the manifest declares its scopes', () => {
  const scopes = new Set(declared());
  const seen = new Set<Row>();
  for (const call of recorded) {
    const [method, path] = call.split(' ') as [string, string];
    const row = rowOf(method, path);
    expect({ call, covered: row !== undefined }).toEqual({ call, covered: true });
    seen.add(row!);
    for (const s of row!.scopes) expect({ call, scope: s, declared: scopes.has(s) }).toEqual({ call, scope: s, declared: true });
  }
  // The sync really exercised the table: every row but GET search (the adapter POSTs its searches).
  expect(TABLE.filter((r) => !seen.has(r)).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /rest/api/3/search/jql']);
});

it('every endpoint named in the adapter’s source is in the table, or known not to be called', () => {
  const dir = join(ROOT, 'packages', 'jira', 'src');
  const paths = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/['`](\/rest\/[^'`?\s]+)['`]/g)) paths.add(m[1]!.replace(/\$\{[^}]+\}/g, 'X'));
  }
  expect(paths.size).toBeGreaterThanOrEqual(12);
  for (const p of paths) {
    const covered = TABLE.some((r) => template(r.path).test(p)) || NOT_CALLED.has(p);
    expect({ path: p, covered }).toEqual({ path: p, covered: true });
  }
});

it('the table agrees with Atlassian’s OpenAPI specs, by @forge/manifest’s own rule', async () => {
  const specs = ['platform-swagger.v3.json', 'software-swagger.v3.json'].map(
    (f) => JSON.parse(readFileSync(join(SPECS, f), 'utf8')) as { paths: Record<string, Record<string, { security?: Record<string, string[]>[]; 'x-atlassian-oauth2-scopes'?: { state: string; scopes: string[] }[] }>> },
  );
  let described = 0;
  for (const row of TABLE) {
    const op = specs.map((s) => s.paths[row.path]?.[row.method.toLowerCase()]).find((o) => o !== undefined);
    if (!op) continue; // newer than the 2022 specs: /search/jql, /search/approximate-count, /changelog/bulkfetch
    described++;
    const states = op['x-atlassian-oauth2-scopes'];
    const current = states ? states.filter((s) => s.state === 'Current').flatMap((s) => s.scopes) : (op.security ?? []).flatMap((s) => s['OAuth2'] ?? []);
    const beta = states ? states.filter((s) => s.state === 'Beta').flatMap((s) => s.scopes) : [];
    expect({ row: `${row.method} ${row.path}`, missing: await getMissingScopes([...row.scopes], { current, beta }) }).toEqual({ row: `${row.method} ${row.path}`, missing: [] });
    expect({ row: `${row.method} ${row.path}`, missing: await getMissingScopes(declared(), { current, beta }) }).toEqual({ row: `${row.method} ${row.path}`, missing: [] });
  }
  expect(described).toBe(TABLE.length - 4);
});

it('@forge/lint finds every recorded call covered by the manifest’s scopes, and each scope is needed', async () => {
  const calls = [...recorded].sort().map((call, i) => {
    const [method, path] = call.split(' ') as [string, string];
    const row = rowOf(method, path)!;
    const route = row.path.replace(/\{[^}]+\}/g, '${id}');
    return `  await requestJira(route\`${route}\`, { method: '${method}' }); // ${i}: ${row.why}`;
  });
  const file = ['// The Jira calls the app made in test/forge/scopes.test.ts, as the linter reads calls.', 'declare const requestJira: any, route: any, id: string;', 'export async function calls() {', ...calls, '}', ''].join('\n');
  const app = appDir({ stubBuild: true });
  const without = appDir({ stubBuild: true, manifest: (text) => text.replace(/^ {4}- read:sprint:jira-software\n/m, '') });
  try {
    app.write('src/recorded-calls.ts', file);
    expect(problems(await app.lint(['src/recorded-calls.ts']))).toEqual([]);
    // The same calls without the sprint scope: the linter names the call that needs it.
    without.write('src/recorded-calls.ts', file);
    expect(problems(await without.lint(['src/recorded-calls.ts'])).join('\n')).toMatch(/GET \/rest\/agile\/1\.0\/board\/\{boardId\}\/sprint requires "read:sprint:jira-software"/);
  } finally {
    app.remove();
    without.remove();
  }
  const all = new Set(TABLE.flatMap((r) => r.scopes));
  for (const scope of declared()) expect({ scope, needed: scope === 'storage:app' || all.has(scope) }).toEqual({ scope, needed: true });
});
