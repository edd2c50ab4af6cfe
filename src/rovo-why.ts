import { type ChangeExplanation, type MetricsReport, cycleTimeChange, goalRateChange, velocityChange } from '@agile-kpi/core';
import { type KpiKey, causeWords, effectWords } from '@agile-kpi/presentation';
import { AppError, ConfigError, budgetedSleep } from '@agile-kpi/hosted-service';
import { type AppDeps, DEFAULT_BUDGETS } from './app';
import { BoardService } from './board-service';
import { boardIdOf, checkConfig } from './gadget-config';
import { hostError } from './host-error';
import { KvsBlobs } from './kvs-blobs';

/** The KPIs the Rovo action explains, with the KPI whose report each reads and how it is explained. */
const EXPLAINED = {
  velocity: { label: 'Velocity', reads: 'velocity', explain: (r, sprint) => velocityChange(r, sprint ? { sprint } : {}) },
  sprintGoalRate: { label: 'Sprint goal rate', reads: 'sprintGoalRate', explain: (r, sprint) => goalRateChange(r, sprint ? { sprint } : {}) },
  cycleTime: { label: 'Cycle time', reads: 'flow', explain: (r) => cycleTimeChange(r) },
} as const satisfies Record<string, { label: string; reads: KpiKey; explain: (report: MetricsReport, sprint?: string) => ChangeExplanation }>;

/** Where the resolvers remember the site's URL (src/app.ts): evidence links are built on it. */
const SITE_KEY = 'app:site';
const CAUSES_TOLD = 5;
const LINKS_PER_CAUSE = 3;

/**
 * The Rovo agent's action "why did this KPI change on this board": the board's cached report (the one the
 * gadgets read, computed with the default settings when no gadget asked for it) explained by the same function
 * as the dashboard's headlines, the emailed report and `agile-kpi mcp` (`explainChange`). It answers plain text
 * for the agent: the change, then the causes largest first, each with its issues' keys and links. Issue titles
 * are left out: they are the tracker's text, and an agent reads everything it is given as possible instructions.
 * Never throws: what goes wrong comes back as a sentence the agent can pass on.
 *
 * @example await createRovoWhy(deps)({ boardId: '42', kpi: 'velocity' }) // "Velocity on board 42, SIM Sprint 11: 32 points against 37.67 ..."
 */
export function createRovoWhy(deps: AppDeps): (payload: unknown) => Promise<string> {
  const log = deps.log ?? console;
  return async (payload) => {
    try {
      return await explainOnBoard(deps, payload);
    } catch (err) {
      if (deps.passThrough?.(err)) throw err;
      const error = hostError(err);
      if (error.kind === 'internal') log.error('agile-kpi: the Rovo action failed', err);
      return `agile-kpi could not answer: ${error.message}`;
    }
  };
}

async function explainOnBoard(deps: AppDeps, payload: unknown): Promise<string> {
  const input = (payload ?? {}) as { boardId?: unknown; kpi?: unknown; sprint?: unknown };
  const rawBoard = typeof input.boardId === 'number' || typeof input.boardId === 'string' ? String(input.boardId).trim() : '';
  if (!/^\d+$/.test(rawBoard)) throw new ConfigError(`boardId must be a Jira board id, the number in the board's URL (.../boards/<id>), got ${JSON.stringify(input.boardId ?? null)}`);
  const config = checkConfig({ source: rawBoard });
  const boardId = boardIdOf(config);
  const kpi = input.kpi === undefined || input.kpi === '' ? 'velocity' : String(input.kpi);
  if (!Object.hasOwn(EXPLAINED, kpi)) throw new ConfigError(`kpi must be one of ${Object.keys(EXPLAINED).join(', ')}, got ${JSON.stringify(input.kpi)}`);
  const what = EXPLAINED[kpi as keyof typeof EXPLAINED];
  if (deps.viewerCanSee && !(await deps.viewerCanSee(boardId))) {
    throw new AppError('forbidden', `you cannot see board ${boardId} in Jira, so agile-kpi does not explain its metrics to you`);
  }
  const { clock } = deps;
  const deadline = clock.now() + (deps.budgets?.resolverMs ?? DEFAULT_BUDGETS.resolverMs);
  const blobs = new KvsBlobs(deps.kvs, { ...deps.blobOptions, sleep: budgetedSleep(clock, deadline), deadline: { atMs: deadline, now: () => clock.now() } });
  const site = (await blobs.get<string>(SITE_KEY)) ?? 'this Jira site';
  const service = new BoardService({ requestJira: deps.requestJira, blobs, clock, log: deps.log ?? console, site, newId: () => `rovo-${clock.now().toString(36)}` });
  const entry = await service.report(service.store(boardId), config, [what.reads]);
  if (!entry) {
    throw new AppError('not-synced', `agile-kpi has not synced board ${boardId} yet: add an agile-kpi gadget for it to a dashboard (its first load syncs the board; the hourly refresh keeps it current)`);
  }
  const sprint = typeof input.sprint === 'string' && input.sprint.trim() ? input.sprint.trim() : undefined;
  let e: ChangeExplanation;
  try {
    e = what.explain(entry.report, sprint);
  } catch (err) {
    // A sprint the board does not have: the message lists the ones it has.
    if (err instanceof RangeError) throw new ConfigError(err.message);
    throw err;
  }
  return words(e, `${what.label} on board ${boardId}`, entry.lastSyncAt);
}

/** The explanation as the agent reads it: one line for the change, one per cause, one per linked issue. */
function words(e: ChangeExplanation, subject: string, syncedAt: string): string {
  const head = `${subject}, ${e.period.label}`;
  const synced = `(as of the sync of ${syncedAt})`;
  if (e.change === null) return `${head}: ${e.reason ?? 'nothing to compare'} ${synced}`;
  const lines = [`${head}: ${figure(e.after, e.unit)} against ${figure(e.before, e.unit)} for ${e.baseline.label} (${effectWords(e.change, e.unit)}) ${synced}.`];
  if (e.causes.length === 0) lines.push('No single cause: every part moved by less than 0.01.');
  else lines.push('Causes, largest first:');
  e.causes.slice(0, CAUSES_TOLD).forEach((c, i) => {
    lines.push(`${i + 1}. ${causeWords(c, e)}`);
    for (const item of c.items.slice(0, LINKS_PER_CAUSE)) lines.push(`   ${item.key}${item.url ? ` ${item.url}` : ''}`);
  });
  return lines.join('\n');
}

function figure(x: number | string | null, unit: string): string {
  if (x === null) return 'nothing';
  if (typeof x === 'string') return x;
  return unit === 'ratio' ? `${Math.round(x * 1000) / 10} %` : `${Math.round(x * 100) / 100} ${unit}`;
}
