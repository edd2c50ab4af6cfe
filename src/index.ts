import type { Clock } from '@agile-kpi/hosted-service';
import api, { assumeTrustedRoute, route } from '@forge/api';
import { kvs } from '@forge/kvs';
import Resolver from '@forge/resolver';
import { type AppDeps, type InvocationContext, createResolvers, refreshConfiguredBoards } from './app';
import type { KvsPort } from './kvs-port';
import { packAnswer } from './packed-answer';
import { sendScheduledReports } from './report-trigger';
import { createRovoWhy } from './rovo-why';

/**
 * The Forge shell: Forge's own APIs poured into the app's ports, and nothing else. The handlers are named in
 * manifest.yml: `index.handler` (the gadgets' resolver), `index.refresh` (the hourly scheduled trigger) and
 * `index.sendReports` (the daily one sending the health reports).
 */
const clock: Clock = { now: () => Date.now(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) };
const store: KvsPort = kvs;

/** Reads as the app: the scheduled refresh has no user, and the cache is shared by every viewer. */
const requestJira: AppDeps['requestJira'] = (path, init) => api.asApp().requestJira(assumeTrustedRoute(path), init);

/** The viewing user may see the board (Jira answers 404 or 403 otherwise). */
async function viewerCanSee(boardId: number): Promise<boolean> {
  const res = await api.asUser().requestJira(route`/rest/agile/1.0/board/${boardId}`, { headers: { Accept: 'application/json' } });
  if (res.ok) return true;
  if (res.status === 403 || res.status === 404) return false;
  throw new Error(`checking the viewer's access to board ${boardId}: Jira answered HTTP ${res.status}`);
}

/** Forge's consent prompt for asUser travels as this error; it must leave the resolver for Forge to show it. */
const passThrough = (err: unknown) => (err as { name?: unknown } | null)?.name === 'NEEDS_AUTHENTICATION_ERR';

const resolvers = createResolvers({ requestJira, kvs: store, clock, viewerCanSee, passThrough });
const resolver = new Resolver();
for (const [name, fn] of Object.entries(resolvers)) {
  // Answers over Forge's size limits travel compressed; the gadget's host unpacks them.
  resolver.define(name, async ({ payload, context }) => packAnswer(await fn(payload, context as InvocationContext)));
}

export const handler = resolver.getDefinitions();

/** The Rovo agent's action (manifest.yml `explain-kpi-change`): why a KPI changed on a board. */
export const rovoWhy = createRovoWhy({ requestJira, kvs: store, clock, viewerCanSee, passThrough });

/** Scheduled trigger: the platform counts 204 as success; the summary is in the logs. */
export async function refresh(): Promise<{ statusCode: number }> {
  try {
    const summary = await refreshConfiguredBoards({ requestJira, kvs: store, clock });
    console.info(`agile-kpi: refresh summary ${JSON.stringify(summary)}`);
    return { statusCode: 204 };
  } catch (err) {
    console.error('agile-kpi: refresh failed', err);
    return { statusCode: 500 };
  }
}

/** Daily scheduled trigger: the health reports the gadgets' settings ask for, through Jira's notify API. */
export async function sendReports(): Promise<{ statusCode: number }> {
  try {
    const summary = await sendScheduledReports({ requestJira, kvs: store, clock });
    console.info(`agile-kpi: reports summary ${JSON.stringify(summary)}`);
    return { statusCode: 204 };
  } catch (err) {
    console.error('agile-kpi: sending the reports failed', err);
    return { statusCode: 500 };
  }
}
