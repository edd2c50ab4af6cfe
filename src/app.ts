import type { DashboardConfig, EvidencePage, HostResult, MetricsPayload, OutcomeData, OutcomeRemoval, OutcomeUploadResult, SourceChoice } from '@agile-kpi/presentation';
import { RESULT_KEYS, VIEW_RESULTS, readPageToken, viewOfModule } from '@agile-kpi/presentation';
import { AppError, type Clock, ConfigError, type Log, budgetedSleep, budgetedTransport, checkVerdict, isFresh, leaseOwner, outcomeData, removeOutcomeFile, reportDespite, saveOutcomeSettings, settledOutcomes, uploadOutcomes } from '@agile-kpi/hosted-service';
import {
  JiraClient,
  JiraError,
  type RequestJira,
  SYNC_CURSOR,
  type SyncCursor,
  type SyncState,
  forgeTransport,
  sprintId as jiraSprintId,
  notServiceProjects,
  readProjects,
  serviceProjectKeys,
  syncedSoFar,
} from '@agile-kpi/jira';
import { mapPool } from '@agile-kpi/tracker-client';
import { BoardService, SERVICE_PROJECTS_STATE, type ServiceProjectsSetting, SYNC_STATE } from './board-service';
import { boardIdOf, checkConfig, optionsKeyOf } from './gadget-config';
import { answer, hostError } from './host-error';
import { type BlobOptions, KvsBlobs, keyPart } from './kvs-blobs';
import type { KvsBoardStore } from './kvs-board-store';
import type { KvsPort } from './kvs-port';
import { unpackUpload } from './packed-answer';

/**
 * The Forge app's logic, free of `@forge/*`: the resolvers the gadgets call and the hourly refresh, over
 * ports (`requestJira` as the app, the Key-Value Store, a clock). `src/index.ts` fills the ports with Forge's
 * own; tests fill them with the simulated Jira and an in-memory store.
 */
export interface AppDeps {
  /** `api.asApp().requestJira(assumeTrustedRoute(path), init)` in Forge. */
  readonly requestJira: RequestJira;
  readonly kvs: KvsPort;
  readonly clock: Clock;
  readonly log?: Log;
  /**
   * Whether the user viewing a gadget may see the board (Forge: `asUser().requestJira` of the board).
   * The app reads Jira as itself, so without this check anyone who can open a dashboard would see the
   * metrics of a board they cannot browse. Absent: no check (tests of everything else).
   */
  readonly viewerCanSee?: (boardId: number) => Promise<boolean>;
  /** Errors that belong to the platform and must leave the resolver (Forge's consent prompt for asUser). */
  readonly passThrough?: (err: unknown) => boolean;
  readonly budgets?: Partial<Budgets>;
  readonly blobOptions?: BlobOptions;
  /** Jira requests in flight at once (default 4). */
  readonly concurrency?: number;
  readonly newId?: () => string;
}

export interface Budgets {
  /** A resolver's own deadline (Forge stops it at 25 s). */
  readonly resolverMs: number;
  /** Of that, kept back from Jira requests for the sync's final writes and computing the report. */
  readonly resolverReserveMs: number;
  /** The refresh's deadline (its function has timeoutSeconds 900). */
  readonly refreshMs: number;
  /** Data older than this is synced before it is served (the scheduled trigger runs hourly). */
  readonly refreshIntervalMs: number;
  /** One Jira request without an answer after this long is retried (resolver / refresh). */
  readonly resolverRequestTimeoutMs: number;
  readonly refreshRequestTimeoutMs: number;
}

export const DEFAULT_BUDGETS: Budgets = {
  resolverMs: 20_000,
  resolverReserveMs: 8_000,
  refreshMs: 840_000,
  refreshIntervalMs: 3_600_000,
  resolverRequestTimeoutMs: 10_000,
  refreshRequestTimeoutMs: 60_000,
};

/** What a resolver sees of Forge's invocation context (`request.context`). */
export interface InvocationContext {
  readonly accountId?: string;
  readonly siteUrl?: string;
  readonly moduleKey?: string;
  readonly extension?: {
    readonly gadget?: { readonly id?: string };
    readonly dashboard?: { readonly id?: string };
    readonly gadgetConfiguration?: unknown;
    readonly entryPoint?: string;
  };
}

export type Resolver<T> = (payload: unknown, context: InvocationContext) => Promise<HostResult<T>>;

export interface Resolvers {
  getConfig: Resolver<DashboardConfig>;
  saveConfig: Resolver<DashboardConfig>;
  listSources: Resolver<readonly SourceChoice[]>;
  loadMetrics: Resolver<MetricsPayload>;
  recordVerdict: Resolver<MetricsPayload>;
  /** The next page of a KPI's evidence list: `{ config, kpi, page }`, `page` a token from `loadMetrics` or the page before. */
  evidence: Resolver<EvidencePage>;
  /** A survey, usage or benefit file (`{ kind, name, text }`) kept with the board of the gadget's saved settings. */
  importOutcomes: Resolver<OutcomeUploadResult>;
  /** The files uploaded for that board (per kind, with their record counts) and its outcome settings. */
  outcomeData: Resolver<OutcomeData>;
  /** `{ settings: { cost?, features? } }`: the board's outcome settings, replaced whole. */
  saveOutcomeSettings: Resolver<OutcomeData>;
  /** `{ kind, name }`: removes the records of one kind that the file of that name brought in. */
  removeOutcomeFile: Resolver<OutcomeRemoval>;
  /** `{ projects }` (keys, a list or typed with commas): the board's Jira Service Management projects, whose ratings its syncs read. */
  saveServiceProjects: Resolver<OutcomeData>;
}

/** A gadget's saved settings, under `gadget:<gadget id>`: what the refresh reads to know the boards. */
export interface GadgetRecord {
  readonly config: DashboardConfig;
  readonly moduleKey?: string;
  readonly dashboardId?: string;
  readonly savedAt: string;
  readonly savedBy?: string;
}

const SITE_KEY = 'app:site';
const GADGET_PREFIX = 'gadget:';

export function createResolvers(deps: AppDeps): Resolvers {
  const log = deps.log ?? console;
  // One App per call: its storage work is bounded by the call's own deadline.
  const run =
    <T>(what: string, work: (app: App, payload: unknown, context: InvocationContext) => Promise<T>): Resolver<T> =>
    (payload, context) =>
      answer(log, what, () => work(App.forResolver(deps), payload, context ?? {}), deps.passThrough);
  return {
    getConfig: run('getConfig', (app, _p, ctx) => app.getConfig(ctx)),
    saveConfig: run('saveConfig', (app, p, ctx) => app.saveConfig(field(p, 'config'), ctx)),
    listSources: run('listSources', (app, _p, ctx) => app.listSources(ctx)),
    loadMetrics: run('loadMetrics', (app, p, ctx) => app.loadMetrics(field(p, 'config'), ctx)),
    recordVerdict: run('recordVerdict', (app, p, ctx) => app.recordVerdict(p, ctx)),
    evidence: run('evidence', (app, p, ctx) => app.evidence(p, ctx)),
    importOutcomes: run('importOutcomes', (app, p, ctx) => app.importOutcomes(p, ctx)),
    outcomeData: run('outcomeData', (app, _p, ctx) => app.outcomeData(ctx)),
    saveOutcomeSettings: run('saveOutcomeSettings', (app, p, ctx) => app.saveOutcomeSettings(field(p, 'settings'), ctx)),
    removeOutcomeFile: run('removeOutcomeFile', (app, p, ctx) => app.removeOutcomeFile(p, ctx)),
    saveServiceProjects: run('saveServiceProjects', (app, p, ctx) => app.saveServiceProjects(field(p, 'projects'), ctx)),
  };
}

export interface RefreshSummary {
  readonly boards: number;
  readonly synced: number;
  readonly failed: number;
  /** Boards another invocation was syncing, or that the deadline left out. */
  readonly skipped: number;
  readonly reports: number;
}

/**
 * The hourly refresh: every board some gadget shows is synced incrementally and the reports of its gadgets'
 * settings recomputed, so that gadgets load from the cache. Boards run one after the other under one
 * deadline; one board failing does not stop the others. Never throws.
 */
export async function refreshConfiguredBoards(deps: AppDeps): Promise<RefreshSummary> {
  const budgets = { ...DEFAULT_BUDGETS, ...deps.budgets };
  return new App(deps, deps.clock.now() + budgets.refreshMs + STORAGE_MARGIN_MS.refresh).refresh();
}

/**
 * How long after the Jira work's deadline storage may still be written (the sync's commit, the report, the lease's
 * release) before Forge stops the function: 25 s for a resolver, 900 s for the trigger.
 */
const STORAGE_MARGIN_MS = { resolver: 2_000, refresh: 30_000 } as const;

class App {
  readonly log: Log;
  private readonly budgets: Budgets;
  private readonly blobs: KvsBlobs;
  private readonly newId: () => string;
  private siteCache: string | undefined;

  /** An App for one resolver call: storage work ends within Forge's 25 s too. */
  static forResolver(deps: AppDeps): App {
    const budgets = { ...DEFAULT_BUDGETS, ...deps.budgets };
    return new App(deps, deps.clock.now() + budgets.resolverMs + STORAGE_MARGIN_MS.resolver);
  }

  constructor(
    private readonly deps: AppDeps,
    storageDeadlineMs: number,
  ) {
    this.log = deps.log ?? console;
    this.budgets = { ...DEFAULT_BUDGETS, ...deps.budgets };
    const { clock } = deps;
    this.blobs = new KvsBlobs(deps.kvs, { ...deps.blobOptions, sleep: budgetedSleep(clock, storageDeadlineMs), deadline: { atMs: storageDeadlineMs, now: () => clock.now() } });
    this.newId = deps.newId ?? (() => leaseOwner(deps.clock));
  }

  async getConfig(ctx: InvocationContext): Promise<DashboardConfig> {
    const record = await this.blobs.get<GadgetRecord>(this.gadgetKey(ctx));
    let config: DashboardConfig = record?.config ?? {};
    if (!record && ctx.extension?.gadgetConfiguration) {
      // Saved by Jira (view.submit) but not by us: an older install, or storage cleared.
      try {
        config = checkConfig(ctx.extension.gadgetConfiguration);
      } catch {
        config = {};
      }
    }
    return withView(config, ctx);
  }

  async saveConfig(input: unknown, ctx: InvocationContext): Promise<DashboardConfig> {
    const key = this.gadgetKey(ctx);
    const config = withView(checkConfig(input), ctx);
    await this.rememberSite(ctx);
    if (config.source !== undefined) {
      // Refuse a board the app cannot read now rather than show an error on the dashboard later.
      const boardId = boardIdOf(config);
      await this.checkViewer(boardId);
      await this.client(this.deadline()).request({ method: 'GET', path: `/rest/agile/1.0/board/${boardId}` }, `read board ${boardId}`);
    }
    if (config.reportIssueKey) {
      // The health report goes out as a notification on this issue (src/report-trigger.ts): a typo shows now.
      const issue = config.reportIssueKey;
      await this.client(this.deadline()).request({ method: 'GET', path: `/rest/api/3/issue/${encodeURIComponent(issue)}`, query: { fields: 'project' } }, `find issue ${issue}, on which the health report is sent`);
    }
    const record: GadgetRecord = {
      config,
      savedAt: new Date(this.deps.clock.now()).toISOString(),
      ...(ctx.moduleKey ? { moduleKey: ctx.moduleKey } : {}),
      ...(ctx.extension?.dashboard?.id ? { dashboardId: String(ctx.extension.dashboard.id) } : {}),
      ...(ctx.accountId ? { savedBy: ctx.accountId } : {}),
    };
    await this.blobs.put(key, record);
    return config;
  }

  /** The boards the app can read, by name (offset paging until `isLast`, within the resolver's budget). */
  async listSources(ctx: InvocationContext): Promise<SourceChoice[]> {
    await this.rememberSite(ctx);
    const client = this.client(this.deadline());
    const out: SourceChoice[] = [];
    for (let startAt = 0; ; ) {
      const res = await client.request({ method: 'GET', path: '/rest/agile/1.0/board', query: { startAt, maxResults: 50 } }, 'list the boards');
      const page = res.body as { values?: unknown; isLast?: unknown } | undefined;
      const values = Array.isArray(page?.values) ? (page.values as { id?: unknown; name?: unknown; type?: unknown; location?: { projectKey?: unknown } }[]) : [];
      for (const b of values) {
        if (typeof b.id !== 'number' || typeof b.name !== 'string') continue;
        const where = typeof b.location?.projectKey === 'string' ? b.location.projectKey : undefined;
        const type = typeof b.type === 'string' ? b.type : undefined;
        out.push({ id: String(b.id), name: `${b.name} (${[where, type].filter(Boolean).join(', ')})`.replace(' ()', '') });
      }
      startAt += values.length;
      if (page?.isLast !== false || values.length === 0) break;
    }
    return out.sort((a, b) => a.name.localeCompare(b.name) || Number(a.id) - Number(b.id));
  }

  async loadMetrics(input: unknown, ctx: InvocationContext): Promise<MetricsPayload> {
    const config = checkConfig(input);
    const boardId = boardIdOf(config);
    await this.rememberSite(ctx);
    await this.checkViewer(boardId);
    const service = await this.service();
    const store = service.store(boardId);
    const { clock } = this.deps;
    const start = clock.now();
    let failure: unknown;
    if (!this.isFresh(await store.meta())) {
      const deadline = start + this.budgets.resolverMs - this.budgets.resolverReserveMs;
      const outcome = await service.sync(store, deadline, this.budgets.resolverMs + 10_000, this.budgets.resolverRequestTimeoutMs);
      if (outcome.status === 'failed') failure = outcome.error;
    }
    return this.payload(service, store, config, failure);
  }

  async recordVerdict(input: unknown, ctx: InvocationContext): Promise<MetricsPayload> {
    const config = checkConfig(field(input, 'config'));
    const boardId = boardIdOf(config);
    const rawSprint = field(input, 'sprintId');
    const verdict = checkVerdict(field(input, 'verdict') as { outcome?: unknown; note?: unknown } | undefined);
    const m = typeof rawSprint === 'string' || typeof rawSprint === 'number' ? /^(?:jira:sprint:)?(\d+)$/.exec(String(rawSprint).trim()) : null;
    if (!m) throw new ConfigError(`sprintId must be a Jira sprint id such as jira:sprint:42, got ${JSON.stringify(rawSprint)}`);
    await this.checkViewer(boardId);
    const service = await this.service();
    const store = service.store(boardId);
    if (!(await store.getState<SyncState>(SYNC_STATE))) throw await this.stillSyncing(store);
    const sprints = await store.listDocs('sprint');
    if (!sprints.some((s) => s.id === m[1])) throw new AppError('not-found', `sprint ${m[1]} is not one of board ${boardId}'s sprints`);
    await store.setVerdict(jiraSprintId(m[1]!), { ...verdict, by: ctx.accountId ?? 'unknown', at: new Date(this.deps.clock.now()).toISOString() });
    return this.payload(service, store, config, undefined);
  }

  /**
   * A page of a KPI's evidence from the cached report's parts (one stored chunk read). The viewer is checked as
   * for the metrics; a token of an earlier computation, another KPI or no list is refused with a message.
   */
  async evidence(input: unknown, ctx: InvocationContext): Promise<EvidencePage> {
    const config = checkConfig(field(input, 'config'));
    const boardId = boardIdOf(config);
    const token = readPageToken(field(input, 'page'), field(input, 'kpi'));
    await this.rememberSite(ctx);
    await this.checkViewer(boardId);
    const service = await this.service();
    return service.store(boardId).evidencePage(optionsKeyOf(config), token);
  }

  /**
   * The settings' upload of a survey, usage or benefit file, kept with the board the gadget's saved settings name
   * (every gadget of that board, and the emailed report, then show it), read and answered as serve's upload is: a
   * file with any bad row changes nothing and lists its problems, the same file again changes nothing. The viewer
   * must see the board, as for its metrics. A large file comes gzip-compressed from the gadget ({@link unpackUpload}).
   */
  async importOutcomes(input: unknown, ctx: InvocationContext): Promise<OutcomeUploadResult> {
    const store = await this.outcomeStoreOf(ctx, 'uploading outcome data');
    return settledOutcomes(await uploadOutcomes(store, unpackUpload(input)));
  }

  /**
   * The board's uploaded files, outcome settings and Jira Service Management projects, for the gadget's settings;
   * the viewer as for an upload.
   */
  async outcomeData(ctx: InvocationContext): Promise<OutcomeData> {
    const store = await this.boardStoreOf(ctx, 'seeing its outcome data');
    return this.withServiceProjects(store, await outcomeData(store.outcomeStore()));
  }

  /**
   * The board's Jira Service Management projects (`"SUP, HELP"` or a list; empty: none), whose customer satisfaction
   * ratings the board's syncs read from now on (the Jira adapter's ratings sync, as `agile-kpi sync --service-projects`
   * runs it). Each must be a service project the app can browse: a typo is refused now, naming the key, rather than
   * failing every sync later. The next load syncs (the ratings show without waiting for the hourly refresh).
   */
  async saveServiceProjects(input: unknown, ctx: InvocationContext): Promise<OutcomeData> {
    const typed = typeof input === 'string' || (Array.isArray(input) && input.every((x) => typeof x === 'string')) ? (input as string | string[]) : undefined;
    const keys = typed === undefined ? undefined : serviceProjectKeys(typed);
    if (!keys) {
      throw new ConfigError(`Jira Service Management projects must be project keys separated by commas, like SUP, HELP (empty: none), got ${JSON.stringify(input ?? null)}`);
    }
    const store = await this.boardStoreOf(ctx, 'naming its Jira Service Management projects');
    if (keys.length) {
      let projects;
      try {
        projects = await readProjects(this.client(this.deadline()), keys);
      } catch (err) {
        if (err instanceof JiraError && err.kind === 'not-found') throw new ConfigError(err.message);
        throw err;
      }
      const problems = notServiceProjects(projects);
      if (problems.length) throw new ConfigError(problems.join('; '));
    }
    await store.setState(SERVICE_PROJECTS_STATE, { projectKeys: keys } satisfies ServiceProjectsSetting);
    await store.updateMeta({ syncedAt: undefined });
    return this.withServiceProjects(store, await outcomeData(store.outcomeStore()));
  }

  private async withServiceProjects(store: KvsBoardStore, data: OutcomeData): Promise<OutcomeData> {
    const setting = await store.getState<ServiceProjectsSetting>(SERVICE_PROJECTS_STATE);
    // Absent until the settings name some (an empty list once they named none).
    return setting ? { ...data, serviceProjects: setting.projectKeys } : data;
  }

  /**
   * The board's outcome settings (cost per sprint, feature mappings) from the gadget's settings, checked by the rule
   * `agile-kpi outcomes settings` uses; whoever may upload may set them. The board's cached reports follow them
   * (their key holds the outcomes' version), so ROI and adoption show them at the next load.
   */
  async saveOutcomeSettings(input: unknown, ctx: InvocationContext): Promise<OutcomeData> {
    return settledOutcomes(await saveOutcomeSettings(await this.outcomeStoreOf(ctx, 'setting the cost per sprint or the feature mappings'), input));
  }

  /** Removes an uploaded file's records (`{ kind, name }`) from the board; the cached reports follow as for an upload. */
  async removeOutcomeFile(input: unknown, ctx: InvocationContext): Promise<OutcomeRemoval> {
    return settledOutcomes(await removeOutcomeFile(await this.outcomeStoreOf(ctx, 'removing outcome data'), input));
  }

  /** The outcome data of the board the gadget's saved settings name, once the viewer is known to see the board. */
  private async outcomeStoreOf(ctx: InvocationContext, doing: string) {
    return (await this.boardStoreOf(ctx, doing)).outcomeStore();
  }

  /** The store of the board the gadget's saved settings name, once the viewer is known to see the board. */
  private async boardStoreOf(ctx: InvocationContext, doing: string): Promise<KvsBoardStore> {
    const config = await this.getConfig(ctx);
    if (config.source === undefined) throw new ConfigError(`choose this gadget’s board and save the settings before ${doing}: the data is kept with the board`, 'not-configured');
    const boardId = boardIdOf(config);
    await this.rememberSite(ctx);
    await this.checkViewer(boardId);
    return (await this.service()).store(boardId);
  }

  async refresh(): Promise<RefreshSummary> {
    const { clock } = this.deps;
    const deadline = clock.now() + this.budgets.refreshMs;
    const summary = { boards: 0, synced: 0, failed: 0, skipped: 0, reports: 0 };
    let gadgets: GadgetRecord[];
    try {
      gadgets = await this.gadgets();
    } catch (err) {
      this.log.error('agile-kpi: refresh could not read the gadgets’ settings', err);
      return summary;
    }
    const boards = new Map<number, DashboardConfig[]>();
    for (const g of gadgets) {
      try {
        const id = boardIdOf(g.config);
        boards.set(id, [...(boards.get(id) ?? []), g.config]);
      } catch {
        // A gadget not configured yet.
      }
    }
    summary.boards = boards.size;
    const service = await this.service();
    for (const [boardId, configs] of [...boards].sort(([a], [b]) => a - b)) {
      if (clock.now() >= deadline) {
        summary.skipped++;
        this.log.warn(`agile-kpi: refresh ran out of time before board ${boardId}; the next run starts with it`);
        continue;
      }
      try {
        const store = service.store(boardId);
        const outcome = await service.sync(store, deadline, deadline - clock.now() + 60_000, this.budgets.refreshRequestTimeoutMs);
        if (outcome.status === 'synced') summary.synced++;
        else if (outcome.status === 'failed') summary.failed++;
        else summary.skipped++;
        const keys = new Set<string>();
        for (const config of uniqueBy(configs, optionsKeyOf)) {
          keys.add(optionsKeyOf(config));
          if (await service.report(store, config)) summary.reports++;
        }
        await store.pruneReports(keys);
      } catch (err) {
        summary.failed++;
        this.log.error(`agile-kpi: refreshing board ${boardId} failed`, err);
      }
    }
    this.log.info(`agile-kpi: refresh: ${summary.boards} boards, ${summary.synced} synced, ${summary.failed} failed, ${summary.skipped} skipped, ${summary.reports} reports`);
    return summary;
  }

  private async payload(service: BoardService, store: KvsBoardStore, config: DashboardConfig, failure: unknown): Promise<MetricsPayload> {
    // A gadget shows one view: its results whole, the others summarised (it reads, and sends, one view's evidence).
    // Its long evidence lists come as their first page; the rest is paged in when the user drills down.
    const entry = await reportDespite(
      failure,
      hostError,
      () => service.report(store, config, config.view ? VIEW_RESULTS[config.view] : RESULT_KEYS, { firstPages: true }),
      () => this.stillSyncing(store),
    );
    const [meta, state] = await Promise.all([store.meta(), store.getState<SyncState>(SYNC_STATE)]);
    const stale = !this.isFresh(meta);
    // A report reused from an earlier sync that found nothing new is as recent as the latest sync.
    const pages = entry.evidencePages && Object.keys(entry.evidencePages).length ? { evidencePages: entry.evidencePages, ...(entry.headlines && Object.keys(entry.headlines).length ? { headlines: entry.headlines } : {}) } : {};
    return { report: entry.report, syncedAt: state?.lastSyncAt ?? entry.lastSyncAt, ...(stale ? { stale: true } : {}), ...pages };
  }

  /** The first sync has not finished: how far it got (each run goes on from where the one before stopped). */
  private async stillSyncing(store: KvsBoardStore): Promise<AppError> {
    const cursor = await store.getState<SyncCursor | null>(SYNC_CURSOR);
    const progress = cursor?.boardId === store.boardId ? `: ${syncedSoFar(cursor)}` : '';
    return new AppError(
      'syncing',
      `the first sync of board ${store.boardId} is still running${progress} (a large board takes several runs); the hourly refresh will finish it, and reloading this gadget continues it`,
    );
  }

  private isFresh(meta: { syncedAt?: string }): boolean {
    return isFresh(meta, this.deps.clock.now(), this.budgets.refreshIntervalMs);
  }

  private async checkViewer(boardId: number): Promise<void> {
    if (this.deps.viewerCanSee && !(await this.deps.viewerCanSee(boardId))) {
      throw new AppError('forbidden', `you cannot see board ${boardId} in Jira, so agile-kpi does not show its metrics to you; ask the board's owner for access`);
    }
  }

  private deadline(): number {
    return this.deps.clock.now() + this.budgets.resolverMs - this.budgets.resolverReserveMs;
  }

  private client(deadlineMs: number): JiraClient {
    const transport = budgetedTransport(forgeTransport(this.deps.requestJira, this.siteCache ?? 'this Jira site'), this.deps.clock, deadlineMs);
    return new JiraClient(transport, {
      concurrency: this.deps.concurrency ?? 4,
      timeoutMs: this.budgets.resolverRequestTimeoutMs,
      sleep: budgetedSleep(this.deps.clock, deadlineMs),
    });
  }

  private async service(): Promise<BoardService> {
    const site = (await this.site()) ?? 'this Jira site';
    return new BoardService({ requestJira: this.deps.requestJira, blobs: this.blobs, clock: this.deps.clock, log: this.log, site, newId: this.newId, ...(this.deps.concurrency ? { concurrency: this.deps.concurrency } : {}) });
  }

  /** The site's URL: resolvers learn it from their context; the refresh (no user, no site in its context) reads it back. */
  private async site(): Promise<string | undefined> {
    this.siteCache ??= await this.blobs.get<string>(SITE_KEY);
    return this.siteCache;
  }

  private async rememberSite(ctx: InvocationContext): Promise<void> {
    const url = ctx.siteUrl?.replace(/\/+$/, '');
    if (!url) return;
    if ((await this.site()) !== url) await this.blobs.put(SITE_KEY, url);
    this.siteCache = url;
  }

  private gadgetKey(ctx: InvocationContext): string {
    const id = ctx.extension?.gadget?.id;
    if (id === undefined || id === null || String(id) === '') throw new ConfigError('agile-kpi keeps settings per dashboard gadget, and this call did not come from one');
    return `${GADGET_PREFIX}${keyPart(String(id))}`;
  }

  private async gadgets(): Promise<GadgetRecord[]> {
    const keys = (await this.blobs.keys(GADGET_PREFIX)).filter((k) => !k.includes('::'));
    const records = await mapPool(keys, this.blobs.concurrency, (k) => this.blobs.get<GadgetRecord>(k));
    return records.filter((r): r is GadgetRecord => r !== undefined && typeof r === 'object' && r !== null && typeof r.config === 'object');
  }
}

function withView(config: DashboardConfig, ctx: InvocationContext): DashboardConfig {
  const view = viewOfModule(ctx.moduleKey);
  return view && config.view !== view ? { ...config, view } : config;
}

function field(payload: unknown, name: string): unknown {
  return payload !== null && typeof payload === 'object' ? (payload as Record<string, unknown>)[name] : undefined;
}

function uniqueBy<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
