import { AdoClient, nodeApiTransport, syncAdoTeam } from '@agile-kpi/azure-devops';
import { JiraClient, changelogFieldIds, discoverBoard, jiraJsTransport, syncJiraBoard } from '@agile-kpi/jira';
import { openStore } from '@agile-kpi/store';
import { type SimulatedAzureDevOps, type SimulatedJira, type SimulatedTeam, startSimulatedAzureDevOps, startSimulatedJira } from '@agile-kpi/testkit';

/**
 * Syncs against the simulated trackers with realistic latency: requests made against the minimum the APIs
 * allow for that data, wall time, rate-limit waits; and incremental syncs after k changed items.
 */
export interface SyncMeasure {
  readonly tracker: 'jira' | 'azure-devops';
  readonly items: number;
  readonly latencyMs: number;
  readonly full: { readonly requests: number; readonly minimum: number; readonly overMinimumPct: number; readonly wallMs: number; readonly byKind: Record<string, number> };
  /**
   * A full sync into an empty store while the tracker rate-limits: every {@link RATE_LIMIT_EVERY}-th request
   * answers 429 with `Retry-After: 1`. Requests (retries included), 429s met, time spent waiting as told.
   */
  readonly rateLimited: { readonly requests: number; readonly rateLimited: number; readonly retries: number; readonly waitedMs: number; readonly wallMs: number };
  /** Requests of an incremental sync after k changed items, for several k. */
  readonly incremental: readonly { readonly changed: number; readonly requests: number; readonly wallMs: number }[];
}

const ceil = (a: number, b: number) => Math.ceil(a / b);

/** Under rate limiting, one request in this many is answered 429 (Retry-After: 1 s). */
export const RATE_LIMIT_EVERY = 15;

/** A full sync into a fresh store with a fresh client: its requests, rate limits met and waits. */
async function rateLimitedSync(
  count: () => number,
  client: { readonly stats: { requests: number; retries: number; rateLimited: number; waitedMs: number } },
  sync: () => Promise<unknown>,
): Promise<SyncMeasure['rateLimited']> {
  const before = count();
  const t = Date.now();
  await sync();
  const { rateLimited, retries, waitedMs } = client.stats;
  return { requests: count() - before, rateLimited, retries, waitedMs: Math.round(waitedMs), wallMs: Date.now() - t };
}

/**
 * The fewest requests a full sync of the simulated Jira's first board can make: discovery (myself, board,
 * configuration, filter, fields, statuses, issue types), pages of 100 search results, pages of 1000 changelog
 * histories (only the fields read), sprint and version pages.
 */
export async function jiraMinimumRequests(jira: SimulatedJira, client: JiraClient, boardId: number): Promise<number> {
  const fields = new Set(changelogFieldIds(await discoverBoard(client, boardId)));
  const issues = jira.site.issues.filter((i) => !i.deleted);
  const histories = issues.reduce((a, i) => a + i.histories.filter((h) => h.items.some((it) => it.fieldId !== undefined && fields.has(it.fieldId))).length, 0);
  const sprints = jira.site.sprints.length;
  const versions = jira.site.versions.length;
  return 7 + ceil(issues.length, 100) + ceil(histories, 1000) + Math.max(1, ceil(sprints, 50)) + Math.max(1, ceil(versions, 50));
}

/**
 * The fewest requests a full sync of the simulated Azure DevOps' team can make: route discovery the client
 * library does (one OPTIONS per area: wit, work), team settings, team field values, iterations, work item types,
 * the iteration tree, the states of each type (as many as the sync asked for: `byKind`), one WIQL window per
 * 19 999 ids, one batch per 200 items, and pages of 1000 revisions.
 */
export function adoMinimumRequests(ado: SimulatedAzureDevOps, byKind: Record<string, number>): number {
  const items = ado.site.visibleWorkItems().length;
  const revisions = ado.site.revisionsAfter(0).length;
  const types = byKind['states'] ?? 0;
  return 2 + 5 + types + ceil(items, 19_999) + ceil(items, 200) + Math.max(1, ceil(revisions, 1000));
}

export async function jiraSyncBench(team: SimulatedTeam, latencyMs: number, ks: readonly number[]): Promise<SyncMeasure> {
  const jira = await startSimulatedJira({ teams: [team], faults: { latencyMs } });
  const store = openStore(':memory:');
  try {
    const client = () => new JiraClient(jiraJsTransport({ site: jira.url, email: jira.email, apiToken: jira.apiToken }));
    const scope = store.scope({ source: 'jira', site: jira.url, scope: 'bench' });
    const boardId = jira.boards[0]!.id;
    jira.requests.reset();
    const t = Date.now();
    await syncJiraBoard(client(), scope, { boardId });
    const wallMs = Date.now() - t;
    const requests = jira.requests.count();
    const byKind = jira.requests.counts();
    const minimum = await jiraMinimumRequests(jira, client(), boardId);
    const issues = jira.site.issues.filter((i) => !i.deleted);
    jira.setFaults({ latencyMs, rateLimit: { every: RATE_LIMIT_EVERY, retryAfterSeconds: 1 } });
    const limitedStore = openStore(':memory:');
    const limitedClient = client();
    const rateLimited = await rateLimitedSync(
      () => jira.requests.count(),
      limitedClient,
      () => syncJiraBoard(limitedClient, limitedStore.scope({ source: 'jira', site: jira.url, scope: 'bench-limited' }), { boardId }),
    ).finally(() => limitedStore.close());
    jira.setFaults({ latencyMs });
    const incremental = [];
    for (const k of ks) {
      for (const i of issues.slice(0, k)) jira.site.edit(i.key, { summary: `${i.summary} (edited)` });
      jira.requests.reset();
      const s = Date.now();
      await syncJiraBoard(client(), scope, { boardId });
      incremental.push({ changed: k, requests: jira.requests.count(), wallMs: Date.now() - s });
    }
    return { tracker: 'jira', items: issues.length, latencyMs, full: { requests, minimum, overMinimumPct: Math.round(((requests - minimum) / minimum) * 1000) / 10, wallMs, byKind }, rateLimited, incremental };
  } finally {
    store.close();
    await jira.close();
  }
}

export async function adoSyncBench(team: SimulatedTeam, latencyMs: number, ks: readonly number[]): Promise<SyncMeasure> {
  const ado = await startSimulatedAzureDevOps({ teams: [team], process: 'agile', faults: { latencyMs } });
  const store = openStore(':memory:');
  try {
    const project = ado.projects[0]!;
    const client = () => new AdoClient(nodeApiTransport({ orgUrl: ado.url, pat: ado.pat }));
    const scope = store.scope({ source: 'azure-devops', site: ado.url, scope: 'bench' });
    ado.requests.reset();
    const t = Date.now();
    await syncAdoTeam(client(), scope, { project: project.name, team: project.team });
    const wallMs = Date.now() - t;
    const requests = ado.requests.count();
    const byKind = ado.requests.counts();
    const items = ado.site.visibleWorkItems().length;
    const minimum = adoMinimumRequests(ado, byKind);
    ado.setFaults({ latencyMs, rateLimit: { every: RATE_LIMIT_EVERY, retryAfterSeconds: 1 } });
    const limitedStore = openStore(':memory:');
    const limitedClient = client();
    const rateLimited = await rateLimitedSync(
      () => ado.requests.count(),
      limitedClient,
      () => syncAdoTeam(limitedClient, limitedStore.scope({ source: 'azure-devops', site: ado.url, scope: 'bench-limited' }), { project: project.name, team: project.team }),
    ).finally(() => limitedStore.close());
    ado.setFaults({ latencyMs });
    const incremental = [];
    const ids = ado.site.visibleWorkItems().map((w) => w.id);
    for (const k of ks) {
      for (const id of ids.slice(0, k)) ado.site.edit(id, { title: `edited ${id}` });
      ado.requests.reset();
      const s = Date.now();
      await syncAdoTeam(client(), scope, { project: project.name, team: project.team });
      incremental.push({ changed: k, requests: ado.requests.count(), wallMs: Date.now() - s });
    }
    return { tracker: 'azure-devops', items, latencyMs, full: { requests, minimum, overMinimumPct: Math.round(((requests - minimum) / minimum) * 1000) / 10, wallMs, byKind }, rateLimited, incremental };
  } finally {
    store.close();
    await ado.close();
  }
}
