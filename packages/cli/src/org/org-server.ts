import { timingSafeEqual } from 'node:crypto';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Cron } from 'croner';
import type { MetricsReport, Snapshot } from '@agile-kpi/core';
import { KPI_KEYS, type KpiKey } from '@agile-kpi/presentation';
import type { StoreScopeKey } from '@agile-kpi/store';
import type { Io } from '../io';
import { metricsWithOutcomes, readTeamOutcomes } from '../outcomes/scope-outcomes';
import { dashboardApi, type DashboardApi } from '../serve/dashboard-api';
import { SharedJson, dashboardHandler, sendResult, sendSharedJson, sendText } from '../serve/http-server';
import { scopeOutcomeSink } from '../serve/outcome-upload';
import { type TeamScope, exclusively, openTeamStore, outcomeView } from '../team-store';
import { trackerById } from '../trackers';
import { type OrgConfig, type OrgTeam, visibleTeams } from './org-config';
import { type Portfolio, type PortfolioRow, type PortfolioSort, portfolioOfRows, portfolioRow } from './portfolio';
import { portfolioPage } from './portfolio-page';

/**
 * The organisation server (`agile-kpi serve --config org.yml`): many teams from one store, synced on the
 * file's schedule, computed as `agile-kpi metrics` computes them, and served as a portfolio page, each team's
 * dashboard (the one `agile-kpi serve` shows, mounted under /teams/<id>/) and a JSON API for other tools:
 *
 * - `GET /api/teams`: every team the caller may see with each KPI's figure and light, and the roll-ups;
 * - `GET /api/teams/<id>/metrics`: the team's whole report (the JSON of `agile-kpi metrics --format json`).
 *
 * Who may see what comes from the file: a bearer token (every team), or a user named by a reverse proxy's
 * header (the teams `access:` gives them). Credentials are read from the environment when a team syncs and
 * never appear in an answer or a log line.
 */
export interface OrgServer {
  readonly url: string;
  /**
   * Syncs every team once, one after the other; each team's failure is kept as its row's problem. The teams'
   * figures are then computed in the background (see `computed`).
   */
  syncAll(): Promise<void>;
  /** Settles when every team's figures, computed after the start or the last sync pass, are ready. */
  computed(): Promise<void>;
  close(): Promise<void>;
}

export interface OrgServerOptions {
  readonly webRoot: string;
  readonly io: Io;
  readonly log: (line: string) => void;
  /** Sync every team before listening (default: only those never synced). */
  readonly syncOnStart?: 'all' | 'missing' | 'none';
}

/** One team of the file as the server keeps it: its place in the store, its reports, its dashboard. */
interface TeamState {
  readonly team: OrgTeam;
  problem?: string;
  scope?: TeamScope;
  row?: { readonly key: string; readonly row: PortfolioRow };
  dashboard?: (req: IncomingMessage, res: ServerResponse, path: string) => Promise<void>;
}

/** A portfolio shared by the requests of a set of teams: since when it holds, and its check against the store if one runs. */
interface SharedPortfolio {
  at: number;
  readonly portfolio: Promise<Portfolio>;
  checking?: Promise<void> | undefined;
}

/** How long a computed portfolio answers again (see `portfolioOf` in {@link startOrgServer}). */
const PORTFOLIO_REUSE_MS = 1_000;

export async function startOrgServer(config: OrgConfig, options: OrgServerOptions): Promise<OrgServer> {
  const store = await openTeamStore(config.storePath, config.defaultStore);
  const states = new Map<string, TeamState>(config.teams.map((team) => [team.id, { team }]));
  const { log } = options;
  let syncing: Promise<void> | undefined;
  let closing = false;
  const recentPortfolios = new Map<string, SharedPortfolio>();
  /** Each shared portfolio's API answer, serialised (and compressed) once for every request that shares it. */
  const answers = new WeakMap<Portfolio, SharedJson>();
  const keyOf = (team: OrgTeam): StoreScopeKey => ({ source: team.tracker, site: team.site, scope: team.scope });

  /** The team's scope, opened once; for a team the store has never seen, undefined (reading creates none). */
  async function scopeOf(s: TeamState, create = false): Promise<TeamScope | undefined> {
    if (s.scope) return s.scope;
    const { tracker, site, scope } = s.team;
    if (!create && !(await store.scopes()).some((k) => k.source === tracker && k.site === site && k.scope === scope)) return undefined;
    s.scope = await store.scope(keyOf(s.team));
    return s.scope;
  }

  /** When the team last synced into the store (null: never). */
  async function lastSyncOf(s: TeamState): Promise<string | null> {
    const scope = await scopeOf(s);
    const state = scope ? await scope.getState<{ lastSyncAt?: string }>(trackerById(s.team.tracker).syncState) : undefined;
    return state?.lastSyncAt ?? null;
  }

  async function syncTeam(s: TeamState): Promise<void> {
    const { team } = s;
    const env = { ...options.io.env };
    const quiet: Io = { ...options.io, env, stderr: { write: () => true }, isTTY: false };
    try {
      const scope = (await scopeOf(s, true))!;
      const tracker = trackerById(team.tracker);
      Object.assign(env, tracker.credentialsFrom(team.credentials, options.io.env));
      const connected = tracker.connect({ ...tracker.flagsOf(team), store: config.storePath }, env);
      await exclusively(scope, () => connected.sync(scope, quiet));
      recentPortfolios.clear();
      delete s.problem;
      log(`synced ${team.id}`);
    } catch (err) {
      s.problem = `the last sync failed: ${(err as Error).message}`;
      log(`sync of ${team.id} failed: ${(err as Error).message}`);
      recentPortfolios.clear();
    }
  }

  function syncAll(which: 'all' | 'missing' = 'all'): Promise<void> {
    // One pass at a time: a schedule that fires while a pass runs joins it.
    if (syncing) return syncing;
    const run = (async () => {
      for (const s of states.values()) if (!closing && (which === 'all' || (await lastSyncOf(s)) === null)) await syncTeam(s);
    })();
    // Cleared once the pass has settled (a pass with nothing to do settles after this line, never before it).
    syncing = run.finally(() => {
      syncing = undefined;
    });
    return syncing;
  }

  /** The team's snapshot as of its last sync, mapped and checked as `agile-kpi metrics` does. */
  async function snapshotOf(s: TeamState): Promise<Snapshot> {
    const scope = await scopeOf(s);
    if (!scope || (await lastSyncOf(s)) === null) throw Object.assign(new Error(`${s.team.name} has not been synced yet`), { name: 'CliError' });
    const { team } = s;
    const tracker = trackerById(team.tracker);
    return tracker.stored(team).snapshot(scope, tracker.teamOptions(team.flags, team.overrides), team.overrides);
  }

  /** The team's report as of its last sync, computed afresh (the server keeps rows, not reports). */
  async function reportOf(s: TeamState): Promise<{ report: MetricsReport | null; problem?: string; lastSyncAt: string | null }> {
    const lastSyncAt = await lastSyncOf(s);
    if (lastSyncAt === null) return { report: null, problem: s.problem ?? 'not synced yet', lastSyncAt: null };
    try {
      const report = metricsWithOutcomes(await snapshotOf(s), await outcomeView(s.scope!), {}, s.team.name);
      return { report, ...(s.problem ? { problem: s.problem } : {}), lastSyncAt };
    } catch (err) {
      return { report: null, problem: `its figures could not be computed: ${(err as Error).message}`, lastSyncAt };
    }
  }

  /**
   * The team's portfolio row, kept until its next sync (or a sync failure) changes it. A row computed afresh
   * (a whole report: about half a second for 2 000 items) ends by giving the event loop a turn, so that a
   * server computing 200 of them still accepts connections and answers what it has.
   */
  async function rowOf(s: TeamState): Promise<PortfolioRow> {
    const key = `${(await lastSyncOf(s)) ?? ''}\n${s.problem ?? ''}`;
    if (s.row?.key === key) return s.row.row;
    if (closing) throw new Error('the server is closing');
    const row = portfolioRow({ id: s.team.id, name: s.team.name, tags: s.team.tags, tracker: s.team.tracker, ...(await reportOf(s)) });
    s.row = { key, row };
    await nextTurn();
    return row;
  }

  /**
   * The portfolio of these teams, shared by every request: 50 clients asking at once cost one pass over the store
   * (200 teams' sync states), and a cold portfolio is computed once, not once per client. A sync by this server
   * shows at once (it forgets the portfolios: the next request waits for the changed rows). One by another process
   * shows within about a second: a portfolio older than that is still answered, and checked again in the
   * background (stale while it revalidates), so that no request waits for the 200 reads of a check, which under
   * load spread over many turns of the event loop and made answers wait seconds.
   */
  function portfolioOf(teams: readonly OrgTeam[]): Promise<Portfolio> {
    const key = teams.map((t) => t.id).join('\n');
    const hit = recentPortfolios.get(key);
    if (hit) {
      if (Date.now() - hit.at >= PORTFOLIO_REUSE_MS && !hit.checking) revalidate(key, teams, hit);
      return hit.portfolio;
    }
    const portfolio = portfolioFromRows(teams);
    // Reused while it is computed, and checked again a second after.
    const entry: SharedPortfolio = { at: Number.POSITIVE_INFINITY, portfolio };
    recentPortfolios.set(key, entry);
    portfolio.then(
      () => void (entry.at = Date.now()),
      () => void (recentPortfolios.get(key) === entry && recentPortfolios.delete(key)),
    );
    return portfolio;
  }

  async function portfolioFromRows(teams: readonly OrgTeam[]): Promise<Portfolio> {
    const rows: PortfolioRow[] = [];
    for (const team of teams) rows.push(await rowOf(states.get(team.id)!));
    return portfolioOfRows(rows);
  }

  /**
   * Checks a shared portfolio against the store in the background. When every row is still the one it holds, the
   * same portfolio stays (with its serialised answer); else the new one replaces it, unless a sync of this server
   * has forgotten it meanwhile.
   */
  function revalidate(key: string, teams: readonly OrgTeam[], entry: SharedPortfolio): void {
    entry.checking = (async () => {
      const old = await entry.portfolio;
      const fresh = await portfolioFromRows(teams);
      if (fresh.rows.every((row, i) => row === old.rows[i])) entry.at = Date.now();
      else if (recentPortfolios.get(key) === entry) recentPortfolios.set(key, { at: Date.now(), portfolio: Promise.resolve(fresh) });
    })()
      .catch((err: unknown) => log(`the portfolio could not be checked against the store: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        entry.checking = undefined;
      });
  }

  function dashboardOf(s: TeamState): NonNullable<TeamState['dashboard']> {
    if (s.dashboard) return s.dashboard;
    const scope = async () => (await scopeOf(s, true))!;
    const api: DashboardApi = dashboardApi({
      choice: { id: s.team.id, name: s.team.name },
      snapshot: () => snapshotOf(s),
      recordVerdict: async (sprintId, verdict) => {
        await (await scope()).setVerdict(sprintId, verdict);
        delete s.row;
        recentPortfolios.clear();
      },
      syncedAt: async () => (await lastSyncOf(s)) ?? '',
      outcomes: async () => readTeamOutcomes(await outcomeView(await scope())),
    });
    // The settings' outcome data, as serve keeps it (outcomes import/remove/settings on either store); a change
    // drops the team's portfolio row, which is computed again with it.
    const sink = scopeOutcomeSink(scope, () => {
      delete s.row;
      recentPortfolios.clear();
    });
    const handle = dashboardHandler({ api, webRoot: options.webRoot, log, outcomes: sink });
    s.dashboard = (req, res, path) => handle(req, res, path);
    return s.dashboard;
  }

  /** The caller's teams, or why they are not let in. */
  function admitted(req: IncomingMessage): { teams: readonly OrgTeam[] } | { status: number; message: string } {
    if (config.auth.kind === 'token') {
      const expected = Buffer.from(options.io.env[config.auth.env] ?? '');
      const given = Buffer.from(/^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim() ?? '');
      if (expected.length === 0 || given.length !== expected.length || !timingSafeEqual(given, expected)) {
        return { status: 401, message: 'send the token: Authorization: Bearer <token>' };
      }
      return { teams: config.teams };
    }
    if (config.auth.kind === 'header') {
      const raw = req.headers[config.auth.header];
      const user = Array.isArray(raw) ? raw[0] : raw;
      if (!user) return { status: 401, message: 'not signed in (the reverse proxy named no user)' };
      return { teams: visibleTeams(config, user) };
    }
    return { teams: visibleTeams(config, undefined) };
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const gate = admitted(req);
    if ('status' in gate) {
      res.setHeader('WWW-Authenticate', config.auth.kind === 'token' ? 'Bearer' : 'Proxy');
      return sendResult(res, { ok: false, error: { kind: 'auth', message: gate.message } }, gate.status);
    }
    const visible = new Map(gate.teams.map((t) => [t.id, t]));
    const teamPath = /^\/(api\/)?teams\/([^/]+)(\/.*)?$/.exec(path);
    if (path === '/' || path === '/index.html') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendText(res, 405, 'method not allowed', 'text/plain; charset=utf-8');
      const sort = sortOf(url.searchParams);
      const tag = url.searchParams.get('tag') || undefined;
      return sendText(res, 200, portfolioPage(await portfolioOf(gate.teams), { ...(tag ? { tag } : {}), sort }), 'text/html; charset=utf-8');
    }
    if (path === '/api/teams' && req.method === 'GET') {
      const p = await portfolioOf(gate.teams);
      let answer = answers.get(p);
      if (answer === undefined) {
        answer = new SharedJson({ ok: true, data: { rollup: p.rollup, teams: p.rows } });
        answers.set(p, answer);
      }
      return sendSharedJson(req, res, 200, answer);
    }
    if (teamPath) {
      const id = decodeURIComponent(teamPath[2]!);
      const s = visible.has(id) ? states.get(id) : undefined;
      if (!s) return sendResult(res, { ok: false, error: { kind: 'not-found', message: `no team '${id}' here (GET /api/teams lists the teams you may see)` } });
      const rest = teamPath[3] ?? '';
      if (teamPath[1]) {
        if (rest !== '/metrics' || req.method !== 'GET') return sendResult(res, { ok: false, error: { kind: 'not-found', message: `no such API: ${req.method} ${path} (GET /api/teams/${id}/metrics)` } });
        const r = await reportOf(s);
        if (!r.report) return sendResult(res, { ok: false, error: { kind: 'not-found', message: `${s.team.name}: ${r.problem}` } });
        return sendResult(res, { ok: true, data: { report: r.report, syncedAt: r.lastSyncAt } });
      }
      if (rest === '') {
        res.writeHead(301, { Location: `${encodeURIComponent(id)}/` });
        return void res.end();
      }
      return dashboardOf(s)(req, res, rest);
    }
    return sendText(res, 404, 'not found', 'text/plain; charset=utf-8');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err) => {
      log(`internal error: ${err instanceof Error ? err.message : String(err)}`);
      if (!res.headersSent) sendResult(res, { ok: false, error: { kind: 'internal', message: 'agile-kpi failed to answer (a bug: see the server log)' } });
    });
  });

  /**
   * Computes every team's row after a sync pass, in the background, so that the first visitor after a sync
   * does not wait for the whole organisation's figures (200 teams of 2 000 items: about two minutes of work).
   */
  let warming: Promise<void> = Promise.resolve();
  const warm = () => {
    if (closing) return;
    const started = Date.now();
    warming = portfolioOf(config.teams).then(
      (p) => log(`computed the figures of ${p.rows.length} team${p.rows.length === 1 ? '' : 's'} in ${((Date.now() - started) / 1000).toFixed(1)} s`),
      () => undefined,
    );
  };
  const syncAndWarm = async (which: 'all' | 'missing') => {
    await syncAll(which);
    warm();
  };

  if (options.syncOnStart !== 'none') await syncAll(options.syncOnStart === 'all' ? 'all' : 'missing');
  const cron = config.sync ? new Cron(config.sync.pattern, { timezone: config.sync.timezone, protect: true }, () => void syncAndWarm('all')) : undefined;

  try {
    await new Promise<void>((resolvePromise, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => resolvePromise());
    });
  } catch (err) {
    cron?.stop();
    await store.close();
    throw err;
  }
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  warm();
  return {
    url: `http://${host}:${address.port}`,
    syncAll: () => syncAndWarm('all'),
    computed: () => warming,
    close: async () => {
      closing = true;
      cron?.stop();
      await syncing?.catch(() => undefined);
      await warming;
      await new Promise<void>((resolvePromise) => {
        server.closeAllConnections();
        server.close(() => resolvePromise());
      });
      await store.close();
    },
  };
}

/** `?sort=flow&dir=desc`: a KPI or the team's name; by name, A to Z, by default. */
function sortOf(q: URLSearchParams): PortfolioSort {
  const by = q.get('sort');
  const key: KpiKey | 'name' = by && (KPI_KEYS as readonly string[]).includes(by) ? (by as KpiKey) : 'name';
  const dir = q.get('dir') === 'desc' ? 'desc' : q.get('dir') === 'asc' ? 'asc' : key === 'name' ? 'asc' : 'desc';
  return { by: key, dir };
}
