import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { JiraClient, jiraJsTransport, loadJiraBoard, mapJiraBoard, syncJiraBoard } from '@agile-kpi/jira';
import { openStore } from '@agile-kpi/store';
import { simulateTeam } from '@agile-kpi/testkit';
import { differences, harness } from './jira-harness';

/**
 * The second sync fetches only what changed, and ends exactly where a full sync would; an interrupted sync
 * (an error, or the process killed outright) is resumed by the next one, which reuses what was fetched.
 */
const team = simulateTeam({ seed: 5 });
const ROOT = join(__dirname, '..', '..');
let h: Awaited<ReturnType<typeof harness>>;
beforeAll(async () => {
  h = await harness([team], { pageCaps: { search: 25, bulkfetch: 300 } });
});
afterAll(() => h.close());
beforeEach(() => h.jira.setFaults({}));

const bulkfetchIds = () =>
  h.jira.requests
    .filter('bulkfetch')
    .flatMap((r) => ((r.body as { issueIdsOrKeys?: string[] } | undefined)?.issueIdsOrKeys ?? []).map(String));

it('fetches only the changed issues, and ends where a full sync ends', async () => {
  const scope = h.scope();
  h.jira.requests.reset();
  const first = await h.sync(scope);
  const fullRequests = h.jira.requests.count();
  expect(first).toMatchObject({ mode: 'full', changelogsFetched: team.snapshot.items.length, issuesDeleted: 0 });

  const items = team.snapshot.items;
  h.jira.site.edit(items[10]!.key, { status: 'In Progress' });
  h.jira.site.edit(items[20]!.key, { estimate: 13, labels: ['sprint-goal'] });
  h.jira.site.edit(items[30]!.key, { flagged: true });
  const created = h.jira.site.createIssue({ project: h.jira.boards[0]!.projectKey, summary: 'A new bug', type: 'Bug', estimate: 2 });
  const deleted = items[40]!;
  const goneWithIt = 1 + items.filter((i) => i.parentId === deleted.id && i.type.kind === 'subtask').length;
  h.jira.site.deleteIssue(deleted.key);

  h.jira.requests.reset();
  const second = await h.sync(scope);
  const incrementalRequests = h.jira.requests.count();
  expect(second).toMatchObject({ mode: 'incremental', issuesSearched: 4, changelogsFetched: 4, issuesDeleted: goneWithIt });
  const changedIds = [items[10]!, items[20]!, items[30]!].map((i) => String(h.jira.site.idMap.issues[i.id]!.id)).concat(created.id).sort();
  expect(bulkfetchIds().sort()).toEqual(changedIds);
  // Discovery (7), the search for changed issues, the id listing of the board, one bulk changelog call for
  // the four changed issues, sprints and versions: 12, whatever the size of the board.
  expect(incrementalRequests).toBe(12);
  expect(h.jira.requests.counts()).toMatchObject({ search: 2, bulkfetch: 1 });
  expect(fullRequests).toBeGreaterThan(incrementalRequests);

  const fresh = h.scope();
  await h.sync(fresh, { full: true });
  const a = await h.snapshot(scope, team.snapshot.asOf);
  const b = await h.snapshot(fresh, team.snapshot.asOf);
  expect(differences(a, b)).toEqual([]);
  expect(a.items.find((i) => i.key === created.key)?.title).toBe('A new bug');
  expect(a.items.find((i) => i.key === items[40]!.key)).toBeUndefined();
  const ma = computeMetrics(parseSnapshot(a));
  const mb = computeMetrics(parseSnapshot(b));
  expect(ma.velocity.value).toEqual(mb.velocity.value);
  expect(ma.flow.value).toEqual(mb.flow.value);
  expect(ma.backlogHealth.value).toEqual(mb.backlogHealth.value);
});

it('costs requests in proportion to the changes, not to the board', async () => {
  const scope = h.scope();
  await h.sync(scope);
  h.jira.requests.reset();
  await h.sync(scope);
  const idle = h.jira.requests.count();
  for (const item of team.snapshot.items.slice(50, 80)) h.jira.site.edit(item.key, { summary: `${item.title} (edited)` });
  h.jira.requests.reset();
  const r = await h.sync(scope);
  expect(r.changelogsFetched).toBe(30);
  // 30 changed issues: two more pages of 25 search results and one more bulk changelog call at most.
  expect(h.jira.requests.count() - idle).toBeLessThanOrEqual(3);
  expect(h.jira.requests.count('search')).toBeLessThanOrEqual(4);
});

it('resumes after a sync that failed halfway, reusing what it had fetched', async () => {
  const scope = h.scope();
  // The changelogs are all fetched and staged; then Jira fails on the sprints, and goes on failing.
  h.jira.setFaults({ serverError: { kinds: ['sprint'], every: 1, status: 500 } });
  await expect(h.sync(scope, {}, h.client({ retry: { failureRetries: 1 } }))).rejects.toMatchObject({ kind: 'server' });
  expect(scope.getState('jira-sync')).toBeUndefined();
  expect(scope.countDocs('issue')).toBe(0);
  const staged = scope.countDocs('issue-staged');
  const onBoard = h.jira.site.issues.filter((i) => !i.deleted).length;
  expect(staged).toBe(onBoard);

  h.jira.setFaults({});
  h.jira.requests.reset();
  const resumed = await h.sync(scope);
  expect(resumed.changelogsFetched).toBe(0);
  expect(h.jira.requests.count('bulkfetch')).toBe(0);
  const clean = h.scope();
  await h.sync(clean);
  expect(differences(await h.snapshot(scope, team.snapshot.asOf), await h.snapshot(clean, team.snapshot.asOf))).toEqual([]);
});

it('survives the process being killed in the middle of a sync', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'agile-kpi-kill-'));
  const file = join(dir, 'store.sqlite');
  try {
    // Slow Jira down so that the child is surely in the middle when it dies.
    h.jira.setFaults({ latencyMs: { default: 15 } });
    h.jira.requests.reset();
    const script = `
      const { JiraClient, jiraJsTransport, syncJiraBoard } = require(${JSON.stringify(join(ROOT, 'packages/jira/dist/index.js'))});
      const { openStore } = require(${JSON.stringify(join(ROOT, 'packages/store/dist/index.js'))});
      const store = openStore(${JSON.stringify(file)});
      const scope = store.scope({ source: 'jira', site: ${JSON.stringify(h.jira.url)}, scope: 'killed' });
      const client = new JiraClient(jiraJsTransport({ site: ${JSON.stringify(h.jira.url)}, email: ${JSON.stringify(h.jira.email)}, apiToken: ${JSON.stringify(h.jira.apiToken)} }));
      syncJiraBoard(client, scope, { boardId: ${h.jira.boards[0]!.id} }).then(() => process.exit(0));
    `;
    const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (h.jira.requests.count('bulkfetch') >= 3) {
          clearInterval(timer);
          child.kill('SIGKILL');
        }
      }, 5);
      child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`the child finished before it was killed (${code})`))));
    });
    h.jira.setFaults({});
    const store = openStore(file);
    try {
      const scope = store.scope({ source: 'jira', site: h.jira.url, scope: 'killed' });
      expect(scope.getState('jira-sync')).toBeUndefined();
      const client = new JiraClient(jiraJsTransport({ site: h.jira.url, email: h.jira.email, apiToken: h.jira.apiToken }), { sleep: async () => {} });
      const resumed = await syncJiraBoard(client, scope, { boardId: h.jira.boards[0]!.id });
      expect(resumed.changelogsFetched).toBeLessThan(h.jira.site.issues.length);
      const clean = h.scope();
      await h.sync(clean);
      const data = await loadJiraBoard(scope, h.jira.url);
      const resumedSnapshot = mapJiraBoard(data!, { asOf: team.snapshot.asOf, blockedStatuses: ['Blocked'] });
      expect(differences(resumedSnapshot, await h.snapshot(clean, team.snapshot.asOf))).toEqual([]);
    } finally {
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('a sync after nothing changed costs discovery, one search, the id pages, sprints and versions: at most 25 requests at 50 000 issues', async () => {
  // A board of 5 000 issues served with id-only pages of 500 has the id pages of a 50 000-issue board with
  // Jira's pages of 5 000 (ten), and the 54 sprints of the issue's large board (two pages of 50).
  const big = simulateTeam({ seed: 21, sprints: 54, itemsPerSprint: 57, start: '2024-01-01' });
  const large = await harness([big], { pageCaps: { searchIdsOnly: 500 } });
  try {
    const scope = large.scope();
    await large.sync(scope);
    const issues = large.jira.site.issues.filter((i) => !i.deleted).length;
    large.jira.requests.reset();
    const again = await large.sync(scope);
    expect(again).toMatchObject({ mode: 'incremental', issuesSearched: 0, changelogsFetched: 0, issuesDeleted: 0 });
    const counts = large.jira.requests.counts();
    const idPages = Math.ceil(issues / 500);
    expect(issues).toBeGreaterThan(4500);
    expect(counts['search']).toBe(1 + idPages);
    expect(counts['sprint']).toBe(Math.ceil(big.snapshot.sprints.length / 50));
    // Discovery: myself, board, configuration, filter, fields, statuses, issue types.
    expect(large.jira.requests.count()).toBe(7 + 1 + idPages + counts['sprint']! + (counts['version'] ?? 0));
    expect(large.jira.requests.count()).toBeLessThanOrEqual(25);
    // The adapter asked for the most Jira gives: 5 000 ids a page (the server gave 500 and a token).
    const idSearches = large.jira.requests.filter('search').filter((r) => JSON.stringify((r.body as { fields?: unknown }).fields) === '["id"]');
    expect(idSearches.map((r) => (r.body as { maxResults: number }).maxResults)).toEqual(Array(idPages).fill(5000));
  } finally {
    await large.close();
  }
});
