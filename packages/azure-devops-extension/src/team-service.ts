import { AdoClient, defaultTeamOf, type AdoSyncResult, type AdoSyncState, type AdoTransport, ROUTES, type TeamContext, loadAdoTeam, mapAdoTeam, syncAdoTeam } from '@agile-kpi/azure-devops';
import { parseSnapshot } from '@agile-kpi/core';
import { type DashboardConfig, type EvidencePage, type MetricsPayload, type OutcomeData, type OutcomeRemoval, type OutcomeUploadResult, computationStamp, firstPages, metricsOptionsOf, pageOf, readPageToken } from '@agile-kpi/presentation';
import {
  AppError,
  type Clock,
  ConfigError,
  type Log,
  budgetedSleep,
  budgetedTransport,
  checkVerdict,
  computeWithOutcomes,
  isFresh,
  type SyncOutcome,
  leaseOwner,
  leasedSync,
  reportDespite,
  outcomeData,
  removeOutcomeFile,
  reportOptionsKey,
  saveOutcomeSettings,
  settledOutcomes,
  uploadOutcomes,
} from '@agile-kpi/hosted-service';
import { MissingPart, type RetryPolicy } from '@agile-kpi/tracker-client';
import { checkConfig } from './config';
import { DocumentBlobs } from './document-blobs';
import type { ExtensionDataPort } from './extension-data';
import { hostError } from './host-error';
import { type CachedReport, TeamDataStore, type TeamMeta, type TeamRef, teamLabel } from './team-data-store';

/** The sync state's name in the store (the Azure DevOps adapter's). */
export const SYNC_STATE = 'ado-sync';
/** The extension data collection every team's documents live in (their ids carry the project and team ids). */
export const COLLECTION = 'agile-kpi';

export type { Clock };

export interface Budgets {
  /** Data older than this is refreshed (incrementally) when a page loads. */
  readonly refreshIntervalMs: number;
  /** How long a page waits for that refresh before it shows the cached metrics, marked stale. */
  readonly waitMs: number;
  /** How long a page waits for a team's first sync before it says the sync is still running. */
  readonly firstSyncWaitMs: number;
  /** A sync's own deadline: past it, no request starts (the sync is resumed by the next page). */
  readonly syncMs: number;
  /** How often a page waiting for another page's sync looks whether it ended. */
  readonly pollMs: number;
  /** One request without an answer after this long is retried. */
  readonly requestTimeoutMs: number;
}

export const DEFAULT_BUDGETS: Budgets = {
  refreshIntervalMs: 5 * 60_000,
  waitMs: 8_000,
  firstSyncWaitMs: 120_000,
  syncMs: 10 * 60_000,
  pollMs: 1_500,
  requestTimeoutMs: 30_000,
};

export interface TeamServiceDeps {
  readonly data: ExtensionDataPort;
  readonly collection?: string;
  /** Largest stored part of a value (tests make it small). */
  readonly chunkBytes?: number;
  readonly transport: AdoTransport;
  /** The organisation's URL, for links to work items and sprints in the evidence. */
  readonly orgUrl: string;
  /** Who records verdicts (the viewer). */
  readonly user: { readonly id: string; readonly name: string };
  readonly clock?: Clock;
  readonly log?: Log;
  readonly budgets?: Partial<Budgets>;
  /** Azure DevOps requests in flight at once (default 4). */
  readonly concurrency?: number;
  readonly retry?: Partial<RetryPolicy>;
  readonly newId?: () => string;
}

/** The sync ran out of its deadline; what it staged is kept and the next sync resumes from it. */
export class SyncDeadline extends AppError {
  constructor() {
    super('syncing', 'the sync of this team ran out of time; it continues from where it stopped when the page is opened again');
    this.name = 'SyncDeadline';
  }
}

/**
 * The extension's work behind every surface: a team's data kept in the extension data service, refreshed
 * incrementally when a page loads (one page per team at a time, under a lease), and its metrics computed and
 * cached per set of options; sprint goal verdicts and the team's settings stored beside them.
 *
 * The refresh runs in the page and is waited for within a budget: past it, the page shows the cached metrics
 * marked stale while the refresh continues; the next load shows its result.
 */
export class TeamService {
  readonly log: Log;
  private readonly clock: Clock;
  private readonly budgets: Budgets;
  private readonly collection: string;
  private readonly newId: () => string;
  private readonly inflight = new Map<string, Promise<SyncOutcome<AdoSyncResult>>>();

  constructor(private readonly deps: TeamServiceDeps) {
    this.log = deps.log ?? console;
    this.clock = deps.clock ?? { now: () => Date.now(), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
    this.budgets = { ...DEFAULT_BUDGETS, ...deps.budgets };
    this.collection = deps.collection ?? COLLECTION;
    this.newId = deps.newId ?? (() => leaseOwner(this.clock));
  }

  /**
   * The project's default team, for a page whose context has no team (a project dashboard, some hosts): its id,
   * which Azure DevOps takes wherever it takes a team's name. Its name needs the teams list, which needs the
   * vso.project scope the extension does not ask for, so it is shown as the project's default team.
   */
  async defaultTeam(project: { readonly id: string; readonly name: string }): Promise<TeamRef> {
    const teamId = await defaultTeamOf(this.client(this.clock.now() + this.budgets.waitMs * 2, { rateLimitRetries: 1, failureRetries: 1 }), project.name);
    return { projectId: project.id, projectName: project.name, teamId, teamName: teamId, isDefault: true };
  }

  /** A fresh view of a team's stored data (a store caches what it reads; other pages write too). */
  store(team: TeamRef): TeamDataStore {
    return new TeamDataStore(new DocumentBlobs(this.deps.data, this.collection, this.deps.chunkBytes ? { chunkBytes: this.deps.chunkBytes } : {}), team);
  }

  /**
   * The team's metrics for a configuration, the days read in `zone`. Refreshes the team first when its data is
   * older than the refresh interval (the first time: a full sync), waiting for that within the budget; else
   * checks with one request that the viewer's sign-in can still read the team. Lost access is never hidden
   * behind cached numbers; a failed or slow refresh is (the payload is then marked stale).
   */
  async metrics(team: TeamRef, config: DashboardConfig, zone: string): Promise<MetricsPayload> {
    const meta = await this.store(team).meta();
    let failure: unknown;
    if (!this.isFresh(meta)) {
      const synced = (await this.store(team).getState(SYNC_STATE)) !== undefined;
      const outcome = await this.within(this.refresh(team), synced ? this.budgets.waitMs : this.budgets.firstSyncWaitMs);
      if (outcome?.status === 'failed') failure = outcome.error;
    } else {
      failure = await this.checkAccess(team).then(
        () => undefined,
        (err: unknown) => err,
      );
    }
    return this.payload(team, config, zone, failure);
  }

  /** Records the viewer's verdict on one of the team's sprints and answers the recomputed metrics. */
  /**
   * A further page of a KPI's evidence list, from the cached report (the same tokens and pages as the Forge gadget's
   * `evidence` resolver); a token of an earlier computation, another KPI or no list is refused with a message.
   */
  async evidence(team: TeamRef, config: DashboardConfig, zone: string, kpi: unknown, page: unknown): Promise<EvidencePage> {
    const token = readPageToken(page, kpi);
    const entry = await this.report(this.store(team), config, zone);
    if (!entry) throw this.stillSyncing(team);
    return pageOf(entry.report[token.kpi], token, stampOf(entry));
  }

  async recordVerdict(team: TeamRef, config: DashboardConfig, zone: string, sprintId: unknown, verdict: { readonly outcome?: unknown; readonly note?: unknown } | undefined): Promise<MetricsPayload> {
    const checked = checkVerdict(verdict);
    if (typeof sprintId !== 'string' || !/^ado:iteration:[^\s]+$/.test(sprintId)) throw new ConfigError(`sprintId must be one of the team's sprints, such as ado:iteration:<id>, got ${JSON.stringify(sprintId)}`);
    await this.checkAccess(team);
    const store = this.store(team);
    const [context] = await store.listDocs('context');
    if (!context || !(await store.getState(SYNC_STATE))) throw this.stillSyncing(team);
    const iterations = (context.body as TeamContext).iterations;
    if (!iterations.some((it) => `ado:iteration:${it.id}` === sprintId)) throw new AppError('not-found', `${sprintId} is not one of team ${teamLabel(team)}'s sprints`);
    await store.setVerdict(sprintId, { ...checked, by: this.deps.user.name || this.deps.user.id, at: new Date(this.clock.now()).toISOString() });
    return this.payload(team, config, zone, undefined);
  }

  /**
   * The hub settings' upload of a survey, usage or benefit file, kept with the team's data in the extension data
   * (every page and widget of the team then shows it), read and answered as serve's upload is: a file with any bad
   * row changes nothing and lists its problems, the same file again changes nothing. The viewer's sign-in must read
   * the team, as for saving its settings.
   */
  async importOutcomes(team: TeamRef, input: unknown): Promise<OutcomeUploadResult> {
    return settledOutcomes(await uploadOutcomes(await this.outcomeStoreOf(team), input));
  }

  /** The team's uploaded files and outcome settings, for the hub's settings; the viewer as for an upload. */
  async outcomeData(team: TeamRef): Promise<OutcomeData> {
    return outcomeData(await this.outcomeStoreOf(team));
  }

  /**
   * The team's outcome settings (cost per sprint, feature mappings) from the hub's settings, checked by the rule
   * `agile-kpi outcomes settings` uses; whoever may upload may set them. Cached reports follow them (their key holds
   * the outcomes' version), so ROI and adoption show them at the next load.
   */
  async saveOutcomeSettings(team: TeamRef, input: unknown): Promise<OutcomeData> {
    return settledOutcomes(await saveOutcomeSettings(await this.outcomeStoreOf(team), input));
  }

  /** Removes an uploaded file's records (`{ kind, name }`) from the team's data; the cached reports follow. */
  async removeOutcomeFile(team: TeamRef, input: unknown): Promise<OutcomeRemoval> {
    return settledOutcomes(await removeOutcomeFile(await this.outcomeStoreOf(team), input));
  }

  /** The team's outcome data, once the viewer's sign-in is known to read the team (as for saving its settings). */
  private async outcomeStoreOf(team: TeamRef) {
    await this.checkAccess(team);
    return this.store(team).outcomeStore();
  }

  /** The team's settings saved from the hub ({} until someone saves them). */
  async teamConfig(team: TeamRef): Promise<DashboardConfig> {
    return (await this.store(team).config()) ?? {};
  }

  async saveTeamConfig(team: TeamRef, input: unknown): Promise<DashboardConfig> {
    const { view: _view, ...config } = checkConfig(input);
    await this.checkAccess(team);
    await this.store(team).setConfig(config);
    return config;
  }

  /** One incremental sync of the team in this page at a time; a second caller shares the first one's. */
  refresh(team: TeamRef): Promise<SyncOutcome<AdoSyncResult>> {
    const key = this.store(team).prefix;
    let running = this.inflight.get(key);
    if (!running) {
      running = this.sync(team).finally(() => this.inflight.delete(key));
      this.inflight.set(key, running);
    }
    return running;
  }

  /**
   * An incremental sync (the first one is full) under the team's lease, within the sync deadline. When another
   * page holds the lease, waits until it is released (that page's sync ended) and answers `busy`. Never throws:
   * a failure is an outcome.
   */
  async sync(team: TeamRef): Promise<SyncOutcome<AdoSyncResult>> {
    const { clock, log } = this;
    const store = this.store(team);
    const deadline = clock.now() + this.budgets.syncMs;
    const client = this.client(deadline);
    const scope = `${team.projectName}/${team.teamName}`;
    const busyWait = { untilMs: deadline, pollMs: this.budgets.pollMs };
    return leasedSync({ store, clock, log, owner: this.newId(), leaseMs: this.budgets.syncMs + 60_000, scope, classify: hostError, busyWait }, async () => {
      const result = await syncAdoTeam(client, store, { project: team.projectName, team: team.teamName });
      return { result, note: `agile-kpi: synced ${scope} (${result.mode}): ${result.items} items, ${result.revisionsRead} revisions read, ${result.itemsChanged} changed; ${client.stats.requests} requests` };
    });
  }

  /**
   * The report for a configuration: the cached one when it was computed from the current sync and verdicts,
   * else computed from the stored team (mapped, checked, measured) and cached. Undefined before a first sync.
   */
  async report(store: TeamDataStore, config: DashboardConfig, zone: string): Promise<CachedReport | undefined> {
    const state = await store.getState<AdoSyncState>(SYNC_STATE);
    if (!state) return undefined;
    const optionsKey = reportOptionsKey(config, zone);
    const [verdictsRev, cached, meta, outcomesVersion] = await Promise.all([store.verdictsRev(), store.report(optionsKey), store.meta(), store.outcomesVersion()]);
    // Keyed on the extension's own sync instant too: an organisation whose clock stands still repeats lastSyncAt.
    const syncedAt = meta.syncedAt ?? null;
    // And on the customer outcome data: an upload shows at the next load.
    if (cached && cached.lastSyncAt === state.lastSyncAt && cached.syncedAt === syncedAt && cached.verdictsRev === verdictsRev && (cached.outcomesVersion ?? '') === outcomesVersion) return cached;
    const data = await loadAdoTeam(store, this.deps.orgUrl);
    if (!data) return undefined;
    const report = computeWithOutcomes(parseSnapshot(mapAdoTeam(data, { timeZone: zone })), await store.outcomes(), metricsOptionsOf(config), `team ${teamLabel(store.team)}`);
    const entry: CachedReport = { optionsKey, lastSyncAt: state.lastSyncAt, syncedAt, verdictsRev, ...(outcomesVersion ? { outcomesVersion } : {}), report };
    await store.putReport(entry).catch((err: unknown) => this.log.warn('agile-kpi: the computed metrics could not be cached', err));
    return entry;
  }

  /** One cheap request with the viewer's sign-in: the team's settings. Throws the classified error. */
  async checkAccess(team: TeamRef): Promise<void> {
    const route = ROUTES.teamSettings;
    const client = this.client(this.clock.now() + this.budgets.waitMs * 2, { rateLimitRetries: 1, failureRetries: 1 });
    await client.send(
      { method: 'GET', area: route.area, locationId: route.locationId, routeTemplate: route.routeTemplate, routeValues: { project: team.projectName, team: team.teamName }, apiVersion: route.apiVersion },
      route.what,
      `${team.projectName}/${team.teamName}/_apis/work/teamsettings`,
    );
  }

  private async payload(team: TeamRef, config: DashboardConfig, zone: string, failure: unknown): Promise<MetricsPayload> {
    const entry = await reportDespite(
      failure,
      hostError,
      async () => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await this.report(this.store(team), config, zone);
          } catch (err) {
            // Another page rewrote the data while this one read it: read again.
            if (attempt === 0 && (err instanceof MissingPart || /being rewritten/.test(String((err as Error)?.message)))) continue;
            throw err;
          }
        }
      },
      () => this.stillSyncing(team),
    );
    const stale = !this.isFresh(await this.store(team).meta());
    // The cached report is shared by every page of the team; the team is named as this page knows it.
    const report = { ...entry.report, team: { ...entry.report.team, name: teamLabel(team) } };
    // Long evidence lists as their first page, as the Forge gadget gets them; the rest is paged in on request.
    return { ...firstPages(report, stampOf(entry)), syncedAt: entry.lastSyncAt, ...(stale ? { stale: true } : {}) };
  }

  private stillSyncing(team: TeamRef): AppError {
    return new AppError(
      'syncing',
      `the first sync of team ${teamLabel(team)} is still running (a large team takes a few minutes); it continues while a page of this team stays open: try again in a minute`,
    );
  }

  private isFresh(meta: TeamMeta): boolean {
    return isFresh(meta, this.clock.now(), this.budgets.refreshIntervalMs);
  }

  private client(deadlineMs: number, retry: Partial<RetryPolicy> = {}): AdoClient {
    const overrun = () => new SyncDeadline();
    const sleep = budgetedSleep(this.clock, deadlineMs, overrun);
    return new AdoClient(budgetedTransport(this.deps.transport, this.clock, deadlineMs, overrun), {
      concurrency: this.deps.concurrency ?? 4,
      timeoutMs: this.budgets.requestTimeoutMs,
      retry: { ...this.deps.retry, ...retry },
      // Without its deadline: a Retry-After past it ends the sync as SyncDeadline (resumed by the next page).
      sleep: (ms) => sleep(ms),
    });
  }

  /** The promise's value, or undefined when `ms` pass first (the work goes on). */
  private within<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }
}

/** The computation a cached report is: what its page tokens name. */
function stampOf(entry: CachedReport): string {
  return computationStamp([entry.optionsKey, entry.report.asOf, entry.lastSyncAt, entry.syncedAt, entry.verdictsRev, entry.outcomesVersion ?? null]);
}
