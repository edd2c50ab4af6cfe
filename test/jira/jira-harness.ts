import { type Change, type Snapshot, type WorkItem, parseInstant } from '@agile-kpi/core';
import { JiraClient, type JiraClientOptions, jiraJsTransport, loadJiraBoard, mapJiraBoard, syncJiraBoard, type SyncOptions } from '@agile-kpi/jira';
import { type ScopeStore, openStore } from '@agile-kpi/store';
import { type SimulatedJira, type SimulatedTeam, type StartSimulatedJiraOptions, startSimulatedJira } from '@agile-kpi/testkit';

/**
 * Shared by the Jira integration tests: the REAL jira.js client against the simulated Jira on loopback,
 * an in-memory store, and a comparison of the adapter's model with the simulator's own.
 */
export interface Harness {
  readonly jira: SimulatedJira;
  readonly waits: number[];
  client(options?: JiraClientOptions): JiraClient;
  scope(): ScopeStore;
  sync(scope: ScopeStore, options?: Partial<SyncOptions>, client?: JiraClient): ReturnType<typeof syncJiraBoard>;
  snapshot(scope: ScopeStore, asOf?: string): Promise<Snapshot>;
  close(): Promise<void>;
}

export async function harness(teams: readonly SimulatedTeam[], options: Omit<Partial<StartSimulatedJiraOptions>, 'teams'> = {}): Promise<Harness> {
  const jira = await startSimulatedJira({ ...options, teams });
  const store = openStore(':memory:');
  const waits: number[] = [];
  let n = 0;
  const make = (o: JiraClientOptions = {}) =>
    new JiraClient(jiraJsTransport({ site: jira.url, email: jira.email, apiToken: jira.apiToken, timeoutMs: 10_000 }), {
      sleep: async (ms) => void waits.push(ms),
      random: () => 0.5,
      ...o,
    });
  return {
    jira,
    waits,
    client: make,
    scope: () => store.scope({ source: 'jira', site: jira.url, scope: `board-${++n}` }),
    sync: (scope, o = {}, client = make()) => syncJiraBoard(client, scope, { boardId: jira.boards[0]!.id, ...o }),
    async snapshot(scope, asOf) {
      const data = await loadJiraBoard(scope, jira.url);
      if (!data) throw new Error('not synced');
      return mapJiraBoard(data, { ...(asOf ? { asOf } : {}), blockedStatuses: ['Blocked'] });
    },
    async close() {
      store.close();
      await jira.close();
    },
  };
}

/** A timeline as [epoch ms, value] with repeats of the same value collapsed (a no-op change is no change). */
export function normalise<T>(tl: readonly Change<T>[], createdAt: string, initial: T, map: (v: T) => unknown = (v) => v): [number, string][] {
  const created = parseInstant(createdAt);
  const out: [number, string][] = [];
  const first = tl[0];
  if (!first || parseInstant(first.at) > created) out.push([created, JSON.stringify(map(initial))]);
  for (const c of tl) {
    const v = JSON.stringify(map(c.value));
    if (out.length && out[out.length - 1]![1] === v) continue;
    out.push([parseInstant(c.at), v]);
  }
  return out;
}

/** The simulator's item and the adapter's item side by side, ids translated through the site's id map. */
export function comparable(item: WorkItem, ids: { sprint: (id: string) => string; release: (id: string) => string }) {
  const sorted = (xs: readonly string[]) => [...xs].sort();
  return {
    key: item.key,
    kind: item.type.kind,
    created: parseInstant(item.createdAt),
    status: normalise(item.status, item.createdAt, item.status[0]!.value, (s) => [s.name, s.category, s.column]),
    estimate: normalise(item.estimate, item.createdAt, null),
    sprints: normalise(item.sprints, item.createdAt, [] as readonly string[], (v) => sorted(v.map(ids.sprint))),
    releases: normalise(item.releases, item.createdAt, [] as readonly string[], (v) => sorted(v.map(ids.release))),
    flagged: normalise(item.flagged, item.createdAt, false),
    labels: normalise(item.labels, item.createdAt, [] as readonly string[], (v) => sorted(v)),
    described: item.described,
  };
}

/**
 * What two syncs of the same data must agree on: everything but the instants at which release dates were
 * snapshotted (each sync stamps its own). Returns the first few differences, readable in a failure.
 */
export function differences(a: Snapshot, b: Snapshot): string[] {
  const strip = (s: Snapshot) => ({ ...s, releases: s.releases.map((r) => ({ ...r, plannedDate: r.plannedDate.map((p) => p.value) })) });
  const x = strip(a);
  const y = strip(b);
  const out: string[] = [];
  const byKey = new Map(y.items.map((i) => [i.key, i]));
  for (const item of x.items) {
    if (JSON.stringify(item) !== JSON.stringify(byKey.get(item.key))) out.push(`item ${item.key} differs`);
  }
  if (x.items.length !== y.items.length) out.push(`${x.items.length} items vs ${y.items.length}`);
  for (const k of ['team', 'sprints', 'releases', 'asOf', 'source'] as const) {
    if (JSON.stringify(x[k]) !== JSON.stringify(y[k])) out.push(`${k} differ`);
  }
  return out.slice(0, 10);
}
