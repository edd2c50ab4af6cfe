import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { type DashboardConfig, VIEW_KPI, type ViewName, metricsOptionsOf } from '@agile-kpi/presentation';
import { simulateTeam } from '@agile-kpi/testkit';
import { createResolvers } from '../src/app';
import { SYNC_STATE } from '../src/board-service';
import { optionsKeyOf } from '../src/gadget-config';
import { KvsBlobs } from '../src/kvs-blobs';
import { KvsBoardStore } from '../src/kvs-board-store';
import { packAnswer } from '../src/packed-answer';
import { FORGE_KVS_QUOTAS, MemoryKvs } from '../test/forge/memory-kvs';
import { type Measured, timeIt } from './src/stats';

/**
 * Forge at any board size (issue #13, point 4): a gadget's answer for a board of about 50 000 issues, served from
 * the cache in the in-memory Key-Value Store at Forge's limits (values of at most 240 KiB, reads and writes in
 * 10 KB units with the per-minute quotas enforced). The board is the large-board bench's shape (54 two-week
 * sprints, `simulateTeam` seed 7); its report is computed directly and cached the way the hourly refresh caches
 * it (`KvsBoardStore.putReport`: parts cut to first pages, the rest in chunks), then each view's gadget load
 * (`loadMetrics`) is timed and its answer measured as it travels (packed as `src/index.ts` packs it), and one
 * further page of the longest list (`evidence`) is timed.
 */
export interface ForgeLargeMeasure {
  readonly items: number;
  /** The whole report's JSON (what a gadget would carry without paging), MB. */
  readonly reportMb: number;
  readonly views: readonly { readonly view: ViewName; readonly travelKb: number; readonly jsonKb: number; readonly loadMs: Measured; readonly pagedLists: number }[];
  /** One further page of the longest list of release predictability. */
  readonly pageMs: Measured;
  readonly pageKb: number;
  /** The refresh's caching of the report: writes in the store's 10 KB units and time. */
  readonly cacheWrite: { readonly ms: number; readonly writeUnits: number; readonly keys: number };
}

export async function forgeLargeBench(items: number, repeats: number): Promise<ForgeLargeMeasure> {
  const team = simulateTeam({ seed: 7, sprints: 54, itemsPerSprint: Math.max(3, Math.round(items / 89)), start: '2024-01-01' });
  const boardId = 1;
  const config: DashboardConfig = { source: String(boardId) };
  const report = computeMetrics(parseSnapshot(team.snapshot), metricsOptionsOf(config));
  const kvs = new MemoryKvs(Date.now, FORGE_KVS_QUOTAS);
  const clock = { now: () => Date.now(), sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
  const store = new KvsBoardStore(new KvsBlobs(kvs), boardId);
  // What a finished sync leaves for the cache to be valid: its state, and the meta naming the data's version.
  const at = new Date().toISOString();
  await store.setState(SYNC_STATE, { watermark: at, boardId, lastSyncAt: at, lastMode: 'full' });
  await store.updateMeta({ syncedAt: at, dataVersion: 'bench' });
  kvs.resetCalls();
  const t0 = process.hrtime.bigint();
  await store.putReport({ optionsKey: optionsKeyOf(config), lastSyncAt: at, syncedAt: at, verdictsRev: 0, dataVersion: 'bench', report: { ...report, asOf: at } });
  const cacheWrite = { ms: Math.round(Number(process.hrtime.bigint() - t0) / 1e6), writeUnits: kvs.usage.writeUnits, keys: kvs.written.length };

  const resolvers = createResolvers({ requestJira: () => Promise.reject(new Error('the bench serves from the cache only')), kvs, clock, log: { info() {}, warn() {}, error() {} } });
  const ctx = (view: ViewName) => ({ accountId: 'bench', moduleKey: 'agile-kpi-velocity', extension: { gadget: { id: `bench-${view}` } } });
  const views: ForgeLargeMeasure['views'][number][] = [];
  let longest: { next: string; total: number } | undefined;
  for (const view of Object.keys(VIEW_KPI) as ViewName[]) {
    const viewConfig = { ...config, view };
    let travelKb = 0;
    let jsonKb = 0;
    let pagedLists = 0;
    const loadMs = await timeIt(repeats, async () => {
      // What src/index.ts hands Forge: the answer packed (compressed) when it is big.
      const answer = await resolvers.loadMetrics({ config: viewConfig }, ctx(view));
      const packed = packAnswer(answer);
      if (!packed.ok || !answer.ok) throw new Error(`loadMetrics (${view}) failed: ${packed.ok ? '' : packed.error.message}`);
      travelKb = Math.round(JSON.stringify(packed).length / 1024);
      jsonKb = Math.round(JSON.stringify(answer.data).length / 1024);
      const lists = Object.values(answer.data.evidencePages ?? {}).flat();
      pagedLists = lists.length;
      if (view === 'releasePredictability') for (const l of lists) if (l && (!longest || l.total > longest.total)) longest = l;
    });
    views.push({ view, travelKb, jsonKb, loadMs, pagedLists });
  }
  let pageKb = 0;
  // A small board (the smoke run) may have no list long enough to page.
  const further = longest?.next;
  const pageMs = further
    ? await timeIt(repeats, async () => {
        const page = packAnswer(await resolvers.evidence({ config: { ...config, view: 'releasePredictability' }, kpi: 'releasePredictability', page: further }, ctx('releasePredictability')));
        if (!page.ok) throw new Error(`evidence failed: ${page.error.message}`);
        pageKb = Math.round(JSON.stringify(page).length / 1024);
      })
    : { median: 0, min: 0, max: 0, runs: 0 };
  return { items: team.snapshot.items.length, reportMb: Math.round(JSON.stringify(report).length / 1e5) / 10, views, pageMs, pageKb, cacheWrite };
}

if (require.main === module) {
  const items = Number(process.argv[2] ?? 50_000);
  forgeLargeBench(items, Number(process.argv[3] ?? 10)).then(
    (m) => process.stdout.write(`${JSON.stringify(m, null, 2)}\n`),
    (err: unknown) => {
      process.stderr.write(`forge-large bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
