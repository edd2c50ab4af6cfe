import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { type AdoTeamOptions, adoTeamSource, loadAdoTeam, mapAdoTeam } from '@agile-kpi/azure-devops';
import { type MetricsReport, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { type JiraTeamOptions, jiraBoardSource, loadJiraBoard, mapJiraBoard } from '@agile-kpi/jira';
import { compileSource } from '@agile-kpi/tracker-client';
import { type AgileStore, type ScopeStore, openStore } from '@agile-kpi/store';
import { simulateTeam } from '@agile-kpi/testkit';
import { type AdoSettings, snapshotFromAdoStore } from '../../packages/cli/src/ado-source';
import { checksumOf } from '../../packages/store/src/scope-store';
import { snapshotFromStore } from '../../packages/cli/src/jira-source';
import { checkSnapshot } from '../../packages/cli/src/read-snapshot';
import { adoHarness } from '../azure-devops/ado-harness';
import { harness } from '../jira/jira-harness';

/**
 * The CLI computes from the items the store keeps compiled (mapped and checked once, at the sync that changed
 * them). Whatever happened to the store since, its figures must be exactly those of mapping every raw document
 * afresh and checking the whole snapshot, as before: after a full sync, after an incremental sync that changed
 * items, after a mapping setting changed, and when a compiled item was changed behind the store's back.
 */
const options = { velocity: { lastN: 4 } };

describe('Jira: metrics from the compiled store', () => {
  const team = simulateTeam({ seed: 31, sprints: 8, itemsPerSprint: 12 });
  let h: Awaited<ReturnType<typeof harness>>;
  let dir: string;
  let store: AgileStore;
  let scope: ScopeStore;
  beforeAll(async () => {
    h = await harness([team]);
    // A store file, so that another connection can change it behind the store's back.
    dir = mkdtempSync(join(tmpdir(), 'agile-kpi-compiled-'));
    store = openStore(join(dir, 'store.sqlite'));
    scope = store.scope({ source: 'jira', site: h.jira.url, scope: String(h.jira.boards[0]!.id) });
    await h.sync(scope);
  });
  afterAll(async () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    await h.close();
  });
  beforeEach(() => h.jira.tamper(undefined));

  const settings = () => ({ site: h.jira.url, boardId: h.jira.boards[0]!.id });
  const fromCompiled = async (teamOptions: JiraTeamOptions = {}): Promise<MetricsReport> => computeMetrics(await snapshotFromStore(scope, settings(), teamOptions, {}), options);
  const fromRaw = async (teamOptions: JiraTeamOptions = {}): Promise<MetricsReport> =>
    computeMetrics(checkSnapshot(mapJiraBoard((await loadJiraBoard(scope, h.jira.url))!, teamOptions), 'raw'), options);
  const issues = () => scope.countDocs('issue');

  it('equal the metrics of a fresh mapping of the raw documents, and compile nothing a second time', async () => {
    expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(issues());
    expect(await fromCompiled()).toEqual(await fromRaw());
    expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(0);
  });

  it('stay equal after an incremental sync that changed items, compiling only those', async () => {
    const items = team.snapshot.items;
    h.jira.site.edit(items[3]!.key, { status: 'In Progress' });
    h.jira.site.edit(items[7]!.key, { estimate: 13, labels: ['sprint-goal'] });
    h.jira.site.edit(items[11]!.key, { flagged: true });
    h.jira.site.createIssue({ project: h.jira.boards[0]!.projectKey, summary: 'A new bug', type: 'Bug', estimate: 2 });
    h.jira.site.deleteIssue(items[20]!.key);
    const before = issues();
    const r = await h.sync(scope);
    expect(r).toMatchObject({ mode: 'incremental', changelogsFetched: 4 });
    expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(4);
    expect(issues()).toBe(before - 1 - items.filter((i) => i.parentId === items[20]!.id && i.type.kind === 'subtask').length + 1);
    expect(await fromCompiled()).toEqual(await fromRaw());
  });

  it('stay equal when a mapping setting changes (other impediment types), which compiles every issue again', async () => {
    const spikes = { impedimentTypes: ['Impediment', 'Bug'] };
    expect(await compileSource(scope, h.jira.url, jiraBoardSource, spikes)).toBe(issues());
    const compiled = await fromCompiled(spikes);
    expect(compiled).toEqual(await fromRaw(spikes));
    expect(compiled.impedimentResolutionTime).not.toEqual((await fromRaw()).impedimentResolutionTime);
    expect(await fromCompiled()).toEqual(await fromRaw());
  });

  it('stay equal when the board gets a new done column, which compiles every issue again', async () => {
    h.jira.tamper(({ kind, body }) => {
      if (kind !== 'configuration') return body;
      const columns = (body as { columnConfig: { columns: { name: string }[] } }).columnConfig.columns;
      columns[columns.length - 1]!.name = 'Shipped';
      return body;
    });
    await h.sync(scope);
    expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(issues());
    const compiled = await fromCompiled();
    expect(compiled.team.doneColumns).toEqual(['Shipped']);
    expect(compiled).toEqual(await fromRaw());
  });

  it('compile again what was changed behind the store\'s back, and stay equal', async () => {
    await fromCompiled();
    const issues = scope.countDocs('issue');
    const other = new Database(store.file);
    try {
      const [first, second] = other.prepare<[], { id: string; body: string }>(`SELECT id, body FROM compiled WHERE kind = 'issue' ORDER BY id LIMIT 2`).all();
      // A body that no longer matches its checksum: another key.
      other.prepare(`UPDATE compiled SET body = replace(body, '"SIM-', '"XXX-') WHERE kind = 'issue' AND id = ?`).run(first!.id);
      // A body with a matching checksum that names a value its table does not have.
      const body = JSON.parse(second!.body) as { item: unknown[] };
      (body.item[9] as [number[], number[]])[1]![0] = 99_999;
      const text = JSON.stringify(body);
      other.prepare(`UPDATE compiled SET body = ?, checksum = ? WHERE kind = 'issue' AND id = ?`).run(text, checksumOf(text), second!.id);
    } finally {
      other.close();
    }
    expect(await fromCompiled()).toEqual(await fromRaw());
    expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(0);
    // The table of values edited: a new table, and every issue compiled again.
    const other2 = new Database(store.file);
    other2.prepare(`UPDATE state SET value = replace(value, 'In Progress', 'In Review') WHERE name LIKE 'compiled-values:issue:%'`).run();
    other2.close();
    expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(issues);
    expect(await fromCompiled()).toEqual(await fromRaw());
  });

  it('fail as a fresh mapping fails when an item does not pass the check', async () => {
    const doc = scope.listDocs('issue')[0]!;
    const body = doc.body as { fields: Record<string, unknown> };
    scope.putDocs('issue', [{ ...doc, body: { ...body, fields: { ...body.fields, created: '2025-02-30T10:00:00.000+0100' } } }]);
    const fresh = fromRaw().then(
      () => 'accepted',
      (err: Error) => err.message.replace(/^raw: /, ''),
    );
    await expect(snapshotFromStore(scope, settings(), {}, {})).rejects.toThrow(`Jira board ${settings().boardId}: ${await fresh}`);
    scope.putDocs('issue', [doc]);
  });
});

describe('Azure DevOps: metrics from the compiled store', () => {
  const team = simulateTeam({ seed: 32, sprints: 8, itemsPerSprint: 12, sprintCalendar: 'dates' });
  let h: Awaited<ReturnType<typeof adoHarness>>;
  let scope: ScopeStore;
  let settings: AdoSettings;
  beforeAll(async () => {
    h = await adoHarness([team], { process: 'agile' });
    scope = h.scope();
    await h.sync(scope);
    const project = h.ado.projects[0]!;
    settings = { orgUrl: h.ado.url, pat: h.ado.pat, project: project.name, team: project.team, storePath: ':memory:', defaultStore: false, concurrency: 4, retries: 0 };
  });
  afterAll(() => h.close());

  const zone = { timeZone: team.snapshot.team.timeZone };
  const fromCompiled = async (teamOptions: AdoTeamOptions = zone): Promise<MetricsReport> => computeMetrics(await snapshotFromAdoStore(scope, settings, teamOptions, {}), options);
  const fromRaw = async (teamOptions: AdoTeamOptions = zone): Promise<MetricsReport> => computeMetrics(parseSnapshot(mapAdoTeam((await loadAdoTeam(scope, h.ado.url))!, teamOptions)), options);

  it('equal the metrics of a fresh mapping of the raw documents', async () => {
    expect(await compileSource(scope, h.ado.url, adoTeamSource, zone)).toBe(scope.countDocs('workitem'));
    expect(await fromCompiled()).toEqual(await fromRaw());
    expect(await compileSource(scope, h.ado.url, adoTeamSource, zone)).toBe(0);
  });

  it('stay equal after an incremental sync that changed items, compiling only those', async () => {
    const ids = h.ado.site.visibleWorkItems().map((w) => w.id);
    h.ado.site.edit(ids[2]!, { title: 'renamed' });
    h.ado.site.edit(ids[5]!, { tags: ['sprint-goal'] });
    h.ado.site.edit(ids[9]!, { state: 'Active' });
    await h.sync(scope);
    expect(await compileSource(scope, h.ado.url, adoTeamSource, zone)).toBe(3);
    expect(await fromCompiled()).toEqual(await fromRaw());
  });

  it('stay equal when a mapping setting changes (another release tag prefix), which compiles every item again', async () => {
    const prefix = { ...zone, releaseTagPrefix: 'rel-' };
    expect(await compileSource(scope, h.ado.url, adoTeamSource, prefix)).toBe(scope.countDocs('workitem'));
    expect(await fromCompiled(prefix)).toEqual(await fromRaw(prefix));
    expect(await fromCompiled()).toEqual(await fromRaw());
  });
});
