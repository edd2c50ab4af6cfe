import { createHash } from 'node:crypto';
import { type OutcomeKind, type OutcomeRecord, parseSnapshot } from '@agile-kpi/core';
import { type DashboardConfig, RESULT_KEYS, type ResultKey, firstPages, metricsOptionsOf, reportSummary, reportWith } from '@agile-kpi/presentation';
import { BudgetExceeded, type Clock, type Log, type SyncOutcome, budgetedSleep, budgetedTransport, computeWithOutcomes, leasedSync } from '@agile-kpi/hosted-service';
import {
  JiraClient,
  type RatingsStorePort,
  type RequestJira,
  type SyncResult,
  type SyncState,
  forgeTransport,
  loadJiraBoard,
  mapJiraBoard,
  syncJiraBoard,
  syncNamedServiceRatings,
} from '@agile-kpi/jira';
import { optionsKeyOf, teamOptionsOf } from './gadget-config';
import { hostError } from './host-error';
import { type CachedReport, KvsBoardStore, type PagedReport, reportStamp } from './kvs-board-store';
import type { KvsBlobs } from './kvs-blobs';

/** A report computed from unchanged data is recomputed after this long, so that ages and sprint days move on. */
const REPORT_MAX_AGE_MS = 24 * 3_600_000;

/**
 * A digest of a board's synced data: every issue's version (its `updated`), the sprints, versions, board
 * context and date snapshots. Equal digests mean equal data, whatever the sync instant.
 */
export async function dataVersionOf(store: KvsBoardStore): Promise<string> {
  const [issues, sprints, versions, context, snapshots] = await Promise.all([
    store.docVersions('issue'),
    store.listDocs('sprint'),
    store.listDocs('version'),
    store.listDocs('context'),
    store.snapshots('version'),
  ]);
  const hash = createHash('sha256');
  for (const [id, version] of [...issues].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hash.update(`${id}=${version ?? ''};`);
  hash.update(JSON.stringify([sprints.map((d) => d.body), versions.map((d) => d.body), context.map((d) => d.body), snapshots.length]));
  return hash.digest('hex').slice(0, 16);
}

/** The sync state's name in the store (the Jira adapter's). */
export const SYNC_STATE = 'jira-sync';

/**
 * The board's Jira Service Management projects, as the customer outcomes gadget's settings name them
 * (`{ projectKeys }`; an empty list: read none). Absent until the settings name some: the sync then reads none.
 */
export const SERVICE_PROJECTS_STATE = 'jsm-service-projects';

export interface ServiceProjectsSetting {
  readonly projectKeys: readonly string[];
}

/** The board's outcome records as the Jira adapter's ratings sync reads and writes them. */
export function ratingsStore(store: KvsBoardStore): RatingsStorePort {
  return {
    getState: (name) => store.getState(name),
    setState: (name, value) => store.setState(name, value),
    async putOutcomes(rows) {
      let changed = 0;
      for (const kind of new Set(rows.map((r) => r.kind))) {
        const counts = await store.putOutcomes(kind as OutcomeKind, rows.filter((r) => r.kind === kind).map((r) => r.body as OutcomeRecord));
        changed += counts.added + counts.replaced;
      }
      return changed;
    },
    listOutcomes: async (kinds) => (await store.outcomes()).records.filter((r) => kinds === undefined || kinds.includes(r.kind)),
    deleteOutcomes: (kind, ids) => store.deleteOutcomes(kind as OutcomeKind, ids),
  };
}

export interface BoardServiceDeps {
  readonly requestJira: RequestJira;
  readonly blobs: KvsBlobs;
  readonly clock: Clock;
  readonly log: Log;
  /** The site's URL, for links in the evidence ("https://your-domain.atlassian.net"). */
  readonly site: string;
  /** Jira requests in flight at once (default 4). */
  readonly concurrency?: number;
  /** Owner tag of the sync lease. */
  readonly newId: () => string;
}

/**
 * Syncing a board within a deadline and serving its metrics from the cache: the work behind both the
 * resolvers and the hourly refresh.
 */
export class BoardService {
  constructor(private readonly deps: BoardServiceDeps) {}

  store(boardId: number): KvsBoardStore {
    return new KvsBoardStore(this.deps.blobs, boardId);
  }

  /**
   * An incremental sync (the first one is full) that starts no Jira request and no wait after `deadlineMs`, then
   * the service projects' ratings. One sync per board at a time: the lease is held until the sync ends, or
   * `leaseMs` if the function dies; another invocation's sync is answered `busy` at once.
   */
  async sync(store: KvsBoardStore, deadlineMs: number, leaseMs: number, requestTimeoutMs: number): Promise<SyncOutcome<SyncResult>> {
    const { clock, log } = this.deps;
    const board = `board ${store.boardId}`;
    let waited = 0;
    const transport = budgetedTransport(forgeTransport(this.deps.requestJira, this.deps.site), clock, deadlineMs);
    const client = new JiraClient(transport, {
      concurrency: this.deps.concurrency ?? 4,
      timeoutMs: requestTimeoutMs,
      sleep: budgetedSleep(clock, deadlineMs),
      events: { onWait: (ms) => void (waited += ms) },
    });
    const deadline = {
      is: (err: unknown) => err instanceof BudgetExceeded,
      note: () => `agile-kpi: ${board}: the time budget ran out after ${client.stats.requests} requests; the next sync resumes from what was fetched`,
    };
    return leasedSync({ store, clock, log, owner: this.deps.newId(), leaseMs, scope: board, classify: hostError, deadline }, async () => {
      // Small steps: a resolver has 25 s, and whatever a cut-short sync staged is kept for the next call.
      const result = await syncJiraBoard(client, store, { boardId: store.boardId, changelogBatch: 100, countTotal: true });
      const ratings = await this.syncRatings(client, store);
      const note =
        `agile-kpi: synced ${board} (${result.mode}): ${result.issuesSearched} issues read, ${result.changelogsFetched} changelogs, ` +
        `${result.issuesDeleted} removed; ${client.stats.requests} requests, ${client.stats.rateLimited} rate-limited, waited ${Math.round(waited / 1000)} s`;
      // The board is synced and served; the ratings' failure is kept for the settings and the logs.
      const later = ratings.failed !== undefined ? { later: { scope: `the service projects of ${board}`, error: ratings.failed } } : {};
      return { result, meta: { dataVersion: await dataVersionOf(store) }, note, ...later };
    });
  }

  /**
   * After the board, the satisfaction ratings of the service projects the settings name, by the adapter's own
   * ratings sync (the CLI's): incremental from its watermark, ratings gone from Jira removed. It runs under the
   * board sync's deadline; a read cut short by it writes nothing and leaves the watermark, so the next sync reads
   * the same requests again (the hourly refresh, with its 15 minutes, finishes a first read too big for a gadget's
   * call). Its failure does not hide the board's metrics: it is answered beside them.
   */
  private async syncRatings(client: JiraClient, store: KvsBoardStore): Promise<{ readonly failed?: unknown }> {
    const setting = await store.getState<ServiceProjectsSetting>(SERVICE_PROJECTS_STATE);
    try {
      const r = await syncNamedServiceRatings(client, ratingsStore(store), setting ? { named: setting.projectKeys } : {});
      if (r) {
        this.deps.log.info(
          `agile-kpi: read the satisfaction ratings of ${r.projectKeys.join(', ')} for board ${store.boardId} (${r.mode}): ${r.requestsRead} rated requests read, ` +
            `${r.recordsChanged} new or changed, ${r.recordsRemoved} removed, ${r.skipped} left out`,
        );
      }
      return {};
    } catch (err) {
      if (!(err instanceof BudgetExceeded)) return { failed: err };
      this.deps.log.info(`agile-kpi: board ${store.boardId}: the time budget ran out while reading satisfaction ratings; the next sync reads them again`);
      return {};
    }
  }

  /**
   * The report for a configuration: the cached one when it was computed from the current sync and verdicts,
   * else computed from the stored board (mapped, checked, measured) and cached. Undefined before a first sync.
   * With `firstPages` (a gadget's answer), the `kpis` come with their long evidence lists cut to the first page,
   * and `evidencePages` saying where the rest is; else whole.
   */
  async report(store: KvsBoardStore, config: DashboardConfig, kpis: readonly ResultKey[] = RESULT_KEYS, options: { readonly firstPages?: boolean } = {}): Promise<PagedReport | undefined> {
    const state = await store.getState<SyncState>(SYNC_STATE);
    if (!state) return undefined;
    const optionsKey = optionsKeyOf(config);
    const [verdictsRev, cached, meta, outcomesVersion] = await Promise.all([store.verdictsRev(), store.report(optionsKey, kpis, options), store.meta(), store.outcomesVersion()]);
    const syncedAt = meta.syncedAt ?? null;
    if (cached && this.stillValid(cached, meta.dataVersion, verdictsRev, outcomesVersion)) return cached;
    const data = await loadJiraBoard(store, this.deps.site);
    if (!data) return undefined;
    const report = computeWithOutcomes(parseSnapshot(mapJiraBoard(data, teamOptionsOf(config))), await store.outcomes(), metricsOptionsOf(config), `board ${store.boardId}`);
    const entry: CachedReport = {
      optionsKey,
      lastSyncAt: state.lastSyncAt,
      syncedAt,
      verdictsRev,
      ...(meta.dataVersion ? { dataVersion: meta.dataVersion } : {}),
      ...(outcomesVersion ? { outcomesVersion } : {}),
      report,
    };
    await store.putReport(entry);
    // Answered as a cached one would be: only the KPIs asked for whole (or cut to their first pages).
    const asked = reportWith(reportSummary(report), Object.fromEntries(kpis.map((k) => [k, report[k]])));
    if (!options.firstPages) return { ...entry, report: asked };
    return { ...entry, ...firstPages(asked, reportStamp(entry), kpis) };
  }

  /**
   * A cached report holds while the synced data, the verdicts and the customer outcome data (uploads, settings) are
   * what it was computed from (a sync that changed nothing keeps it), and for at most a day: ages and the current
   * sprint's days move on with time. A report cached by an earlier version that lacks a result (the customer
   * outcomes) is computed again.
   */
  private stillValid(cached: CachedReport, dataVersion: string | undefined, verdictsRev: number, outcomesVersion: string): boolean {
    if (cached.verdictsRev !== verdictsRev || dataVersion === undefined || cached.dataVersion !== dataVersion) return false;
    if ((cached.outcomesVersion ?? '') !== outcomesVersion) return false;
    if (RESULT_KEYS.some((k) => !(k in cached.report))) return false;
    return this.deps.clock.now() - Date.parse(cached.report.asOf) < REPORT_MAX_AGE_MS;
  }
}
