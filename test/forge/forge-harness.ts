import { computeMetrics, parseSnapshot, type MetricsOptions, type MetricsReport } from '@agile-kpi/core';
import { type DashboardConfig, type EvidenceEntry, type MetricsPayload, type ResultKey, joinEvidence } from '@agile-kpi/presentation';
import { JiraClient, type JiraTeamOptions, type RequestJira, forgeTransport, loadJiraBoard, mapJiraBoard, syncJiraBoard } from '@agile-kpi/jira';
import { openStore } from '@agile-kpi/store';
import { type SimulatedJira, type SimulatedTeam, type StartSimulatedJiraOptions, startSimulatedJira } from '@agile-kpi/testkit';
import { type AppDeps, type InvocationContext, createResolvers, refreshConfiguredBoards } from '../../src/app';
import type { Log } from '@agile-kpi/hosted-service';
import { MemoryKvs } from './memory-kvs';

/**
 * The Forge app's logic in Node: `requestJira` routed to the simulated Jira (as Forge's `asApp().requestJira`
 * would: a path, fetch's init, a fetch Response back), the Key-Value Store in memory, and a clock that only
 * moves when told to or when the app waits (Retry-After). The simulated site's own clock stays at the team's
 * `asOf`; the app judges freshness by its clock.
 */
export interface ForgeHarness {
  readonly jira: SimulatedJira;
  readonly kvs: MemoryKvs;
  readonly waits: number[];
  readonly logs: { level: 'info' | 'warn' | 'error'; text: string }[];
  readonly requestJira: RequestJira;
  deps(extra?: Partial<AppDeps>): AppDeps;
  resolvers(extra?: Partial<AppDeps>): ReturnType<typeof createResolvers>;
  refresh(extra?: Partial<AppDeps>): ReturnType<typeof refreshConfiguredBoards>;
  /** A gadget's invocation context as Forge passes it to resolvers. */
  context(gadgetId: string, moduleKey?: string): InvocationContext;
  now(): number;
  advance(ms: number): void;
  /** The metrics computed the CLI's way: the adapter's own sync into SQLite, mapped, checked, measured. */
  direct(boardId: number, options?: MetricsOptions, team?: JiraTeamOptions): Promise<ReturnType<typeof computeMetrics>>;
  close(): Promise<void>;
}

export const HOUR = 3_600_000;

export async function forgeHarness(teams: readonly SimulatedTeam[], options: Omit<Partial<StartSimulatedJiraOptions>, 'teams'> = {}): Promise<ForgeHarness> {
  // The site's clock stands at the teams' asOf (so the adapter's own sync, computed directly, sees the same
  // instant); the app's clock starts a minute later and moves on.
  const asOf = Math.max(...teams.map((team) => Date.parse(team.snapshot.asOf)));
  const jira = await startSimulatedJira({ now: () => asOf, ...options, teams });
  let t = asOf + 60_000;
  const waits: number[] = [];
  const logs: ForgeHarness['logs'] = [];
  const log: Log = {
    info: (...a: unknown[]) => void logs.push({ level: 'info', text: a.map(String).join(' ') }),
    warn: (...a: unknown[]) => void logs.push({ level: 'warn', text: a.map(String).join(' ') }),
    error: (...a: unknown[]) => void logs.push({ level: 'error', text: a.map((x) => (x instanceof Error ? x.stack ?? x.message : String(x))).join(' ') }),
  };
  const kvs = new MemoryKvs(() => t);
  const auth = `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}`;
  const requestJira: RequestJira = (path, init) => fetch(jira.url + path, { ...init, headers: { ...init.headers, Authorization: auth } });
  const clock = {
    now: () => t,
    sleep: async (ms: number) => {
      waits.push(ms);
      t += ms;
    },
  };
  let rev = 0;
  const deps = (extra: Partial<AppDeps> = {}): AppDeps => ({
    requestJira,
    kvs,
    clock,
    log,
    // Small parts, so that the chunked storage path runs on every big value, not only on huge boards.
    blobOptions: { chunkBytes: 8_000, rev: () => `r${++rev}` },
    ...extra,
  });
  return {
    jira,
    kvs,
    waits,
    logs,
    requestJira,
    deps,
    resolvers: (extra) => createResolvers(deps(extra)),
    refresh: (extra) => refreshConfiguredBoards(deps(extra)),
    context: (gadgetId, moduleKey = 'agile-kpi-velocity') => ({
      accountId: 'user-1',
      siteUrl: jira.url,
      moduleKey,
      extension: { gadget: { id: gadgetId }, dashboard: { id: '10000' } },
    }),
    now: () => t,
    advance: (ms) => void (t += ms),
    async direct(boardId, metricOptions = {}, team = {}) {
      const store = openStore(':memory:');
      try {
        const scope = store.scope({ source: 'jira', site: jira.url, scope: String(boardId) });
        await syncJiraBoard(new JiraClient(forgeTransport(requestJira, jira.url), { sleep: async () => {} }), scope, { boardId });
        const data = await loadJiraBoard(scope, jira.url);
        return computeMetrics(parseSnapshot(mapJiraBoard(data!, team)), metricOptions);
      } finally {
        store.close();
      }
    },
    close: () => jira.close(),
  };
}

/** What the bridge carries: JSON. */
export const wire = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/**
 * A gadget's answer with every evidence list whole again: each cut list's first page followed by every further
 * page, fetched one by one through the `evidence` resolver as the dashboard does when a user asks for more.
 */
export async function withAllPages(resolvers: ReturnType<typeof createResolvers>, config: DashboardConfig, ctx: InvocationContext, payload: MetricsPayload): Promise<MetricsPayload> {
  const { evidencePages, ...rest } = payload;
  let report: MetricsReport = payload.report;
  for (const [kpi, lists] of Object.entries(evidencePages ?? {}) as [ResultKey, NonNullable<MetricsPayload['evidencePages']>[ResultKey]][]) {
    const more: EvidenceEntry[][] = [];
    for (const list of lists ?? []) {
      const entries: EvidenceEntry[] = [];
      for (let page: string | undefined = list.next; page; ) {
        const r = await resolvers.evidence({ config, kpi, page }, ctx);
        if (!r.ok) throw new Error(`evidence page ${page}: ${r.error.kind}: ${r.error.message}`);
        entries.push(...r.data.entries);
        page = r.data.next;
      }
      more.push(entries);
    }
    report = { ...report, [kpi]: joinEvidence(report[kpi], lists ?? [], more) };
  }
  return { ...rest, report };
}
