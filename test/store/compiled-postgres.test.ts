import { type MetricsReport, computeMetrics } from '@agile-kpi/core';
import { jiraBoardSource, loadJiraBoard, mapJiraBoard, syncJiraBoard } from '@agile-kpi/jira';
import { type AsyncAgileStore, type AsyncScopeStore, openPostgresStore } from '@agile-kpi/store';
import { compileSource } from '@agile-kpi/tracker-client';
import { simulateTeam } from '@agile-kpi/testkit';
import { checksumOf } from '../../packages/store/src/scope-store';
import { snapshotFromStore } from '../../packages/cli/src/jira-source';
import { checkSnapshot } from '../../packages/cli/src/read-snapshot';
import { harness } from '../jira/jira-harness';
import { startTestPostgres, type TestPostgres } from './test-postgres';

/**
 * The compiled-items reader on PostgreSQL, as test/cli/compiled-store.test.ts holds it on SQLite: its figures are
 * those of mapping every raw document afresh, after an incremental sync, and when compiled items were changed
 * behind the store's back (compiled again inside the reading transaction, as savepoints).
 */
const options = { velocity: { lastN: 4 } };
const team = simulateTeam({ seed: 31, sprints: 8, itemsPerSprint: 12 });
let pg: TestPostgres;
let h: Awaited<ReturnType<typeof harness>>;
let store: AsyncAgileStore;
let scope: AsyncScopeStore;
let schema: string;

beforeAll(async () => {
  [pg, h] = await Promise.all([startTestPostgres(), harness([team])]);
  schema = pg.freshSchema();
  store = await openPostgresStore(pg.url, { schema });
  scope = await store.scope({ source: 'jira', site: h.jira.url, scope: String(h.jira.boards[0]!.id) });
  await syncJiraBoard(h.client(), scope, { boardId: h.jira.boards[0]!.id });
}, 120_000);
afterAll(async () => {
  await store?.close();
  await Promise.all([h?.close(), pg?.stop()]);
});

const settings = () => ({ site: h.jira.url, boardId: h.jira.boards[0]!.id });
const fromCompiled = async (): Promise<MetricsReport> => computeMetrics(await snapshotFromStore(scope, settings(), {}, {}), options);
const fromRaw = async (): Promise<MetricsReport> => computeMetrics(checkSnapshot(mapJiraBoard((await loadJiraBoard(scope, h.jira.url))!, {}), 'raw'), options);

it('equal the metrics of a fresh mapping of the raw documents, and compile nothing a second time', async () => {
  expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(await scope.countDocs('issue'));
  expect(await fromCompiled()).toEqual(await fromRaw());
  expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(0);
});

it('stay equal after an incremental sync that changed items, compiling only those', async () => {
  for (const i of [3, 7]) h.jira.site.edit(team.snapshot.items[i]!.key, { labels: ['edited-behind'] });
  await expect(syncJiraBoard(h.client(), scope, { boardId: h.jira.boards[0]!.id })).resolves.toMatchObject({ mode: 'incremental', changelogsFetched: 2 });
  expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(2);
  expect(await fromCompiled()).toEqual(await fromRaw());
});

it("compile again what was changed behind the store's back, and stay equal", async () => {
  await fromCompiled();
  const rows = await pg.sql<{ id: string; body: string }>(`SELECT id, body FROM "${schema}".compiled WHERE kind = 'issue' ORDER BY id LIMIT 2`);
  const [first, second] = rows;
  // A body that no longer matches its checksum: another key.
  await pg.sql(`UPDATE "${schema}".compiled SET body = replace(body, '"SIM-', '"XXX-') WHERE kind = 'issue' AND id = $1`, [first!.id]);
  const tampered = await pg.sql<{ body: string }>(`SELECT body FROM "${schema}".compiled WHERE kind = 'issue' AND id = $1`, [first!.id]);
  expect(tampered[0]!.body).toContain('"XXX-');
  // A body with a matching checksum that names a value its table does not have.
  const body = JSON.parse(second!.body) as { item: unknown[] };
  (body.item[9] as [number[], number[]])[1]![0] = 99_999;
  const text = JSON.stringify(body);
  await pg.sql(`UPDATE "${schema}".compiled SET body = $1, checksum = $2 WHERE kind = 'issue' AND id = $3`, [text, checksumOf(text), second!.id]);
  expect(await fromCompiled()).toEqual(await fromRaw());
  expect(await compileSource(scope, h.jira.url, jiraBoardSource, {})).toBe(0);
  const repaired = await pg.sql<{ body: string }>(`SELECT body FROM "${schema}".compiled WHERE kind = 'issue' AND id = $1`, [first!.id]);
  expect(repaired[0]!.body).not.toContain('"XXX-');
});
