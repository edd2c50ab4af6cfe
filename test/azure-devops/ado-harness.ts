import { type Change, type Snapshot, type WorkItem, parseInstant } from '@agile-kpi/core';
import { AdoClient, type AdoClientOptions, type AdoSyncOptions, loadAdoTeam, mapAdoTeam, nodeApiTransport, syncAdoTeam } from '@agile-kpi/azure-devops';
import { type ScopeStore, openStore } from '@agile-kpi/store';
import { type SimulatedAzureDevOps, type SimulatedTeam, type StartSimulatedAzureDevOpsOptions, azureDevOpsStateOf, startSimulatedAzureDevOps } from '@agile-kpi/testkit';

/**
 * Shared by the Azure DevOps integration tests: the REAL azure-devops-node-api client against the simulated
 * organisation on loopback, an in-memory store, and the comparison of the adapter's model with the
 * simulator's own.
 */
export interface AdoHarness {
  readonly ado: SimulatedAzureDevOps;
  readonly waits: number[];
  client(options?: AdoClientOptions): AdoClient;
  scope(): ScopeStore;
  sync(scope: ScopeStore, options?: Partial<AdoSyncOptions>, client?: AdoClient): ReturnType<typeof syncAdoTeam>;
  snapshot(scope: ScopeStore, asOf?: string): Promise<Snapshot>;
  close(): Promise<void>;
}

export async function adoHarness(teams: readonly SimulatedTeam[], options: Omit<Partial<StartSimulatedAzureDevOpsOptions>, 'teams'> = {}): Promise<AdoHarness> {
  const ado = await startSimulatedAzureDevOps({ ...options, teams });
  const store = openStore(':memory:');
  const waits: number[] = [];
  let n = 0;
  const zone = teams[0]!.snapshot.team.timeZone;
  const make = (o: AdoClientOptions = {}) =>
    new AdoClient(nodeApiTransport({ orgUrl: ado.url, pat: ado.pat, timeoutMs: 10_000 }), { sleep: async (ms) => void waits.push(ms), random: () => 0.5, ...o });
  const project = ado.projects[0]!;
  return {
    ado,
    waits,
    client: make,
    scope: () => store.scope({ source: 'azure-devops', site: ado.url, scope: `team-${++n}` }),
    sync: (scope, o = {}, client = make()) => syncAdoTeam(client, scope, { project: project.name, team: project.team, ...o }),
    async snapshot(scope, asOf) {
      const data = await loadAdoTeam(scope, ado.url);
      if (!data) throw new Error('not synced');
      return mapAdoTeam(data, { timeZone: zone, ...(asOf ? { asOf } : {}) });
    },
    async close() {
      store.close();
      await ado.close();
    },
  };
}

/** A timeline as [epoch ms, value] with repeats collapsed. */
function normalise<T>(tl: readonly Change<T>[], createdAt: string, initial: T, map: (v: T) => unknown = (v) => v): [number, string][] {
  const created = parseInstant(createdAt);
  const out: [number, string][] = [];
  const first = tl[0];
  if (!first || parseInstant(first.at) > created) out.push([created, JSON.stringify(map(initial))]);
  for (const c of tl) {
    const v = JSON.stringify(map(c.value));
    if (out.length && out[out.length - 1]![1] === v) continue;
    out.push([Math.max(parseInstant(c.at), created), v]);
  }
  return out;
}

/**
 * What an Azure DevOps rendering of a simulated item keeps, in comparable form: its state (by the process's
 * mapping) with category, ONE iteration (the latest sprint of the simulator's cumulative set), estimate
 * (none on tasks), Blocked, tags and releases. Ids are translated through the site's id map.
 */
export function simItemAsAdo(item: WorkItem, process: 'scrum' | 'agile', ids: { sprint: (id: string) => string; release: (id: string) => string }, sprintStart: (id: string) => number) {
  const typeName = adoTypeName(item.type.kind, process);
  const latest = (set: readonly string[]) => [...set].sort((a, b) => sprintStart(b) - sprintStart(a))[0];
  return {
    key: item.key,
    kind: item.type.kind === 'task' || item.type.kind === 'other' ? 'story' : item.type.kind,
    status: normalise(item.status, item.createdAt, item.status[0]!.value, (s) => [azureDevOpsStateOf(process, typeName, s.name, s.category)]),
    estimate: item.type.kind === 'subtask' || item.type.kind === 'epic' || item.type.kind === 'impediment' ? [] : normalise(item.estimate, item.createdAt, null),
    sprints: normalise(item.sprints, item.createdAt, [] as readonly string[], (v) => {
      const s = latest(v);
      return s ? [ids.sprint(s)] : [];
    }),
    releases: normalise(item.releases, item.createdAt, [] as readonly string[], (v) => [...v.map(ids.release)].sort()),
    flagged: normalise(item.flagged, item.createdAt, false),
    labels: normalise(item.labels, item.createdAt, [] as readonly string[], (v) => [...v].sort()),
    described: item.described,
  };
}

/** The adapter's item in the same comparable form. */
export function adapterItem(item: WorkItem) {
  return {
    key: item.key,
    kind: item.type.kind,
    status: normalise(item.status, item.createdAt, item.status[0]!.value, (s) => [s.name]),
    estimate: item.estimate.every((c) => c.value === null) && item.type.kind !== 'story' && item.type.kind !== 'bug' ? [] : normalise(item.estimate, item.createdAt, null),
    sprints: normalise(item.sprints, item.createdAt, [] as readonly string[], (v) => [...v]),
    releases: normalise(item.releases, item.createdAt, [] as readonly string[], (v) => [...v].sort()),
    flagged: normalise(item.flagged, item.createdAt, false),
    labels: normalise(item.labels, item.createdAt, [] as readonly string[], (v) => [...v].sort()),
    described: item.described,
  };
}

export function adoTypeName(kind: WorkItem['type']['kind'], process: 'scrum' | 'agile'): string {
  if (kind === 'bug') return 'Bug';
  if (kind === 'subtask') return 'Task';
  if (kind === 'epic') return 'Epic';
  if (kind === 'impediment') return process === 'scrum' ? 'Impediment' : 'Issue';
  return process === 'scrum' ? 'Product Backlog Item' : 'User Story';
}
