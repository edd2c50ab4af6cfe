import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import {
  type Evidence,
  EXPLAINED_KPIS,
  type ChangeExplanation,
  type MetricsReport,
  type Snapshot,
  type VelocityRole,
  HistoryIndex,
  cycleTimeChange,
  forecastChange,
  goalRateChange,
  sprintGoalRate,
  velocity,
  velocityChange,
} from '@agile-kpi/core';
import { KPI_KEYS, OUTCOME_KEYS, RESULT_KEYS, type KpiKey, type ResultKey, changeWords, kpiHeadlines, kpiLights, outcomeHeadlines, whyWords } from '@agile-kpi/presentation';
import { z } from 'zod';
import { CliError } from '../cli-error';
import { defined, isRealInstant } from '../metric-options';
import type { StoreTeam, StoreTeams } from './store-teams';

/** What the tools need besides the store: whether they may write, and the clock a verdict is stamped with. */
export interface ToolContext {
  readonly teams: StoreTeams;
  readonly allowWrites: boolean;
  readonly now: () => Date;
}

const DAY_MS = 86_400_000;

// Arguments named alike in every tool. Descriptions are fixed text: nothing read from a tracker (titles,
// goals, names) ever goes into them, so an item's title can never become an instruction to the assistant.
const team = z.string().min(1).describe('The team exactly as list_teams gives it (its `team` field). A Jira board id or an Azure DevOps team name also works when it names one team only.');
const asOf = z.string().optional().describe("Compute as at this instant, ISO-8601 with an offset (e.g. 2025-06-01T12:00:00Z). Default: the team's last sync.");
const sprint = z.string().optional().describe('A sprint by its name (e.g. "Sprint 14") or its id.');
const release = z.string().optional().describe('A release (Jira version, Azure DevOps release) by its name (e.g. "2.4") or its id.');
const kpi = z.enum(KPI_KEYS).describe('The KPI: velocity, sprintGoalRate, impedimentResolutionTime, sprintProgress, backlogHealth, releasePredictability or flow.');
const result = z
  .enum(RESULT_KEYS)
  .describe('The KPI (velocity, sprintGoalRate, impedimentResolutionTime, sprintProgress, backlogHealth, releasePredictability, flow) or customer outcome (customerSatisfaction, featureAdoption, roi, releaseImpact).');

/** Where a team's customer outcome data comes from, said when it has none (fixed text, as every description). */
const OUTCOME_SOURCES =
  'no customer outcome data for this team: import survey responses, product-analytics usage and benefits with ' +
  '`agile-kpi outcomes import FILE --kind csat|nps|usage|benefit`, name the Jira Service Management projects whose ratings count with ' +
  '`agile-kpi sync --service-projects KEY`, and set the cost per sprint and the feature mapping with `agile-kpi outcomes settings`';

/**
 * The agile-kpi tools: each reads the local store through `teams`, answers with JSON (the same figures as
 * `agile-kpi metrics --format json`, with links to the tracker), and fails with a message a person can act on.
 * `record_goal_verdict` exists only when writes are allowed.
 */
export function registerTools(server: McpServer, ctx: ToolContext): void {
  server.registerTool(
    'list_teams',
    {
      title: 'List teams',
      description:
        'List the Jira boards and Azure DevOps teams synced into the local agile-kpi store, with when each was last synced. ' +
        'Call this first: every other tool takes `team` exactly as this returns it. Figures are as of the last sync unless a tool is given asOf.',
      inputSchema: {},
      annotations: { readOnlyHint: true },
    },
    async () => answer({ teams: (await ctx.teams.list()).map((t) => ({ ...t, synced: t.lastSyncAt !== null })) }),
  );

  server.registerTool(
    'get_kpis',
    {
      title: 'Get KPIs',
      description:
        "A team's agile KPIs reconstructed from its tracker history: velocity, sprintGoalRate, impedimentResolutionTime, sprintProgress, " +
        'backlogHealth, releasePredictability and flow. Each comes with its value, unit, traffic light (green, amber, red or null), a one-sentence ' +
        'headline, and the reason when it has no value. Use find_items for the work items behind a figure and explain_change for why it moved.',
      inputSchema: { team, asOf, kpis: z.array(kpi).optional().describe('Which KPIs; default all of them.') },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      run(async () => {
        const { t, report } = await read(ctx, args.team, args.asOf);
        const keys = args.kpis?.length ? [...new Set(args.kpis)] : [...KPI_KEYS];
        const headlines = kpiHeadlines(report);
        const lights = kpiLights(report);
        const kpis = Object.fromEntries(
          keys.map((k) => {
            const r = report[k];
            return [k, { value: r.value, unit: r.unit, light: lights[k], headline: headlines[k], ...(r.reason ? { reason: r.reason } : {}), warnings: r.warnings.length, evidenceItems: r.evidence.length }];
          }),
        );
        return { team: t.team, name: t.name, asOf: report.asOf, timeZone: report.team.timeZone, kpis };
      }),
  );

  server.registerTool(
    'explain_change',
    {
      title: 'Explain a change',
      description:
        "Why a KPI changed: the figure before and after and its causes ranked by size in the KPI's unit, each with its work items (keys, links) " +
        'and history events. kpi=velocity: a sprint\'s completed points against the mean of the sprints before it, split into committed, added, removed, ' +
        're-estimated and carried over (a shorter sprint in working days as context); default the last closed sprint. kpi=sprintGoalRate: how a ' +
        "sprint's goal outcome moved the rate and the rule that decided it. kpi=cycleTime: the mean cycle time of the items finished since `since` " +
        '(default the last 28 days, or those finished within `sprint`) against the earlier ones, by the days spent in each status. ' +
        "kpi=releaseForecast: how a release's P85 date moved since the forecast as of `since` (default 14 days before asOf): time passed, work " +
        'finished, scope dropped, re-estimates, scope added, throughput.',
      inputSchema: {
        team,
        kpi: z.enum(EXPLAINED_KPIS).describe('velocity, sprintGoalRate, cycleTime or releaseForecast.'),
        sprint: sprint.describe('velocity, sprintGoalRate: the sprint whose change is explained (default the last closed); cycleTime: the items finished within it.'),
        release: release.describe('releaseForecast: the release (default the next open release with a forecast).'),
        since: z.string().optional().describe('cycleTime: start of the period (ISO-8601 instant); releaseForecast: the instant of the earlier forecast.'),
        asOf,
      },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      run(async () => {
        const { t, report } = await read(ctx, args.team, args.asOf);
        const since = args.since === undefined ? undefined : instant('since', args.since);
        let e: ChangeExplanation;
        if (args.kpi === 'velocity') e = velocityChange(report, defined({ sprint: args.sprint }));
        else if (args.kpi === 'sprintGoalRate') e = goalRateChange(report, defined({ sprint: args.sprint }));
        else if (args.kpi === 'cycleTime') {
          const s = args.sprint === undefined ? undefined : pickSprint(await ctx.teams.snapshot(t, args.asOf), args.sprint);
          e = cycleTimeChange(report, defined({ since: s?.startAt ?? since, until: s ? (s.closedAt ?? report.asOf) : undefined }));
        } else {
          const earlier = since ?? new Date(Date.parse(report.asOf) - 14 * DAY_MS).toISOString();
          if (Date.parse(earlier) >= Date.parse(report.asOf)) throw new CliError(`since (${earlier}) must be before asOf (${report.asOf})`);
          e = forecastChange(await ctx.teams.report(t, earlier), report, defined({ release: args.release }));
        }
        return { team: t.team, asOf: report.asOf, summary: changeWords(e) || e.reason || 'no change', why: whyWords(e, 3), explanation: e };
      }),
  );

  server.registerTool(
    'sprint_report',
    {
      title: 'Sprint report',
      description:
        "One sprint's scope reconstructed from history: committed at its start, completed at its close, added, removed, re-estimated, carried over " +
        "and completed outside, each with points and its items (keys, titles, tracker links), say/do, and the sprint goal's outcome with the rule " +
        'that decided it. Default: the last closed sprint (the active one when none has closed).',
      inputSchema: { team, sprint, asOf },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      run(async () => {
        const { t, snapshot, report } = await readWithSnapshot(ctx, args.team, args.asOf);
        const index = new HistoryIndex(snapshot);
        const all = velocity(index, { ...ctx.teams.options.velocity, historyCount: 10_000 }).details.sprints;
        if (all.length === 0) throw new CliError(`${t.name} has no started sprint as of ${report.asOf}`);
        const wanted = args.sprint === undefined ? (all.filter((s) => s.state === 'closed').at(-1) ?? all.at(-1)!) : all.find((s) => s.sprintId === pickSprint(snapshot, args.sprint!).id);
        if (!wanted) throw new CliError(`sprint '${args.sprint}' had not started as of ${report.asOf}: there is no scope to report yet`);
        const goal = sprintGoalRate(index, { ...ctx.teams.options.sprintGoalRate, lastN: 10_000 }).details.sprints.find((g) => g.sprintId === wanted.sprintId);
        const rows = (role: VelocityRole) => wanted.evidence.filter((e) => e.role === role).map(itemRow);
        const part = (f: { points: number; items: number }, role: VelocityRole) => ({ ...f, list: rows(role) });
        const meta = snapshot.sprints.find((s) => s.id === wanted.sprintId);
        return {
          team: t.team,
          unit: report.velocity.unit,
          sprint: { id: wanted.sprintId, name: wanted.name, state: wanted.state, startAt: wanted.startAt, endAt: wanted.endAt, ...(meta?.url ? { url: meta.url } : {}), goal: meta?.goal ?? null },
          committed: part(wanted.committed, 'committed'),
          completed: part(wanted.completed, 'completed'),
          added: part(wanted.added, 'added'),
          removed: part(wanted.removed, 'removed'),
          reEstimated: part(wanted.reEstimated, 're-estimated'),
          carriedOver: part(wanted.carriedOver, 'carried-over'),
          completedOutside: part(wanted.completedOutside, 'completed-outside'),
          sayDo: wanted.sayDo,
          goalOutcome: goal ? { outcome: goal.outcome, rule: goal.rule, ...(goal.verdict ? { verdict: goal.verdict } : {}), goalItems: goal.goalItems, completionRatio: goal.completionRatio } : null,
        };
      }),
  );

  server.registerTool(
    'forecast_release',
    {
      title: 'Forecast a release',
      description:
        'Monte Carlo forecast of an open release (Jira version, Azure DevOps release): the P50, P85 and P95 dates (50, 85 and 95 % of simulated ' +
        'futures finish by then), the probability of finishing by its planned date, the remaining scope and the items left (keys, links), drawn ' +
        "from the last sprints' completed points (or weekly throughput without sprints). Default: the next open release. Same seed, same dates.",
      inputSchema: {
        team,
        release,
        asOf,
        trials: z.number().int().min(100).max(1_000_000).optional().describe('Simulated futures (default 10000).'),
        seed: z.number().int().min(0).max(2 ** 31 - 1).optional().describe('Seed of the random source (default 42).'),
      },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      run(async () => {
        const t = await ctx.teams.find(args.team);
        checkAsOf(args.asOf);
        const options = args.trials === undefined && args.seed === undefined ? {} : { releasePredictability: defined({ trials: args.trials, seed: args.seed }) };
        const report = await ctx.teams.report(t, args.asOf, options);
        const releases = report.releasePredictability.details.releases;
        const r = args.release === undefined ? releases.find((x) => x.state === 'open') : releases.find((x) => x.releaseId === args.release || x.name.toLowerCase() === args.release!.trim().toLowerCase());
        if (!r) {
          const names = releases.map((x) => `'${x.name}' (${x.state})`).join(', ') || 'none';
          throw new CliError(args.release === undefined ? `${t.name} has no open release to forecast (releases: ${names})` : `no release '${args.release}' here: give one of ${names}`);
        }
        const f = r.forecast;
        return {
          team: t.team,
          asOf: report.asOf,
          release: { id: r.releaseId, name: r.name, state: r.state, plannedDate: r.latestPlannedDate, originalPlannedDate: r.plannedDate, releasedAt: r.releasedAt },
          forecast: f
            ? { p50: f.p50, p85: f.p85, p95: f.p95, probabilityOnTime: f.probabilityOnTime, remaining: f.remaining, sampledFrom: f.sampledFrom, samples: f.samples, periodDays: f.periodDays, trials: f.trials, seed: f.seed }
            : null,
          ...(f ? {} : { reason: r.state === 'released' ? `${r.name} was released on ${r.releasedAt}` : 'no forecast: nothing was completed in the sampled sprints or weeks' }),
          remainingItems: r.evidence.filter((e) => e.role === 'remaining').map(itemRow),
          unit: report.releasePredictability.params.basis === 'count' ? 'items' : report.team.estimateUnit,
        };
      }),
  );

  server.registerTool(
    'get_customer_outcomes',
    {
      title: 'Get customer outcomes',
      description:
        "A team's customer outcomes beside its delivery: customerSatisfaction (CSAT: share of ratings 4-5 and mean rating; NPS: % promoters " +
        'minus % detractors; for the last complete month, with response counts, 95 % intervals and the trend), featureAdoption (share of ' +
        'active users using each feature 7, 30 and 90 days after the release that shipped it), roi (benefit against the cost of the sprints ' +
        "spent on each epic and release) and releaseImpact (for each shipped release: delivered vs planned, CSAT and NPS in the weeks before " +
        'and after it, called a change only when the intervals do not overlap, and the adoption of its features). Each with a one-sentence ' +
        'headline, the reason when it has no value, its warnings and the assumptions it used. Give `release` for that release\'s impact.',
      inputSchema: { team, asOf, release: release.describe('A shipped release by its name or id: its impact (default: the latest shipped release).') },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      run(async () => {
        const { t, report } = await read(ctx, args.team, args.asOf);
        const headlines = outcomeHeadlines(report);
        const outcomes = Object.fromEntries(
          OUTCOME_KEYS.map((k) => {
            const r = report[k];
            return [k, { value: r.value, unit: r.unit, headline: headlines[k], ...(r.reason ? { reason: r.reason } : {}), warnings: r.warnings.map((w) => w.message), params: r.params, evidenceItems: r.evidence.length }];
          }),
        );
        const impacts = report.releaseImpact.details.releases;
        let impact: (typeof impacts)[number] | undefined;
        if (args.release !== undefined) {
          const w = args.release.trim().toLowerCase();
          impact = impacts.find((x) => x.releaseId === args.release || x.name.toLowerCase() === w);
          if (!impact) {
            const names = impacts.map((x) => `'${x.name}'`).join(', ') || 'none';
            throw new CliError(`no shipped release '${args.release}' with an impact here: give one of ${names}`);
          }
        }
        const none = report.customerSatisfaction.details.months.length === 0 && report.featureAdoption.details.features.length === 0 && report.roi.value === null;
        return {
          team: t.team,
          asOf: report.asOf,
          outcomes,
          releases: impacts,
          ...(impact ? { release: impact, releaseItems: report.releaseImpact.evidence.filter((e) => e.releaseId === impact.releaseId).map(itemRow) } : {}),
          ...(none ? { hint: OUTCOME_SOURCES } : {}),
        };
      }),
  );

  server.registerTool(
    'find_items',
    {
      title: 'Find the items behind a figure',
      description:
        "The work items behind a KPI's or a customer outcome's figure (its evidence): each with its key, title, tracker link, role in the figure (committed, completed, " +
        'carried-over, added, removed, re-estimated, goal-item, impediment, not-ready, remaining, finished, wip, delivered, a survey response...), contribution (points, hours, ' +
        'days, a score) and history events. Filter by sprint, release or role; the answer lists the roles there are with their counts.',
      inputSchema: {
        team,
        kpi: result,
        sprint,
        release,
        role: z.string().optional().describe('Only items in this role, e.g. carried-over.'),
        asOf,
        limit: z.number().int().min(1).max(1000).optional().describe('Items returned at most (default 100); `count` says how many there are.'),
      },
      annotations: { readOnlyHint: true },
    },
    (args) =>
      run(async () => {
        const { t, snapshot, report } = await readWithSnapshot(ctx, args.team, args.asOf);
        const sprintId = args.sprint === undefined ? undefined : pickSprint(snapshot, args.sprint).id;
        const releaseId = args.release === undefined ? undefined : pickRelease(snapshot, args.release).id;
        const rows = allEvidence(report[args.kpi as ResultKey]).filter(
          (e) => (sprintId === undefined || e.sprintId === sprintId) && (releaseId === undefined || e.releaseId === releaseId),
        );
        const roles: Record<string, number> = {};
        for (const e of rows) roles[e.role] = (roles[e.role] ?? 0) + 1;
        const chosen = args.role === undefined ? rows : rows.filter((e) => e.role === args.role);
        const limit = args.limit ?? 100;
        return { team: t.team, kpi: args.kpi, asOf: report.asOf, unit: report[args.kpi as ResultKey].unit, count: chosen.length, shown: Math.min(limit, chosen.length), roles, items: chosen.slice(0, limit).map(itemRow) };
      }),
  );

  if (!ctx.allowWrites) return;
  server.registerTool(
    'record_goal_verdict',
    {
      title: 'Record a sprint goal verdict',
      description:
        "Record whether a sprint's goal was met (met, partly or missed), who judged it and when (now), in the local store: the sprint goal rate " +
        'then decides that sprint by the verdict, before goal items or the inferred rule. Only for a decision a person made; ask them first.',
      inputSchema: {
        team,
        sprint: z.string().min(1).describe('The sprint by its name or id.'),
        outcome: z.enum(['met', 'partly', 'missed']).describe('The verdict.'),
        by: z.string().min(1).max(200).describe('Who judged the goal: the person\'s name or e-mail.'),
        note: z.string().max(1000).optional().describe('Why, in a sentence.'),
      },
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true },
    },
    (args) =>
      run(async () => {
        const t = await ctx.teams.find(args.team);
        const s = pickSprint(await ctx.teams.snapshot(t), args.sprint);
        const verdict = { outcome: args.outcome, by: args.by, at: ctx.now().toISOString(), ...(args.note ? { note: args.note } : {}) };
        await ctx.teams.recordVerdict(t, s.id, verdict);
        const index = new HistoryIndex(await ctx.teams.snapshot(t));
        const goal = sprintGoalRate(index, { ...ctx.teams.options.sprintGoalRate, lastN: 10_000 }).details.sprints.find((g) => g.sprintId === s.id);
        return { team: t.team, sprint: { id: s.id, name: s.name }, recorded: verdict, goalOutcome: goal ? { outcome: goal.outcome, rule: goal.rule } : null };
      }),
  );
}

/** A tool's answer: the JSON as structured content and as text (titles and goals stay inside JSON strings). */
function answer(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(data, null, 1) }], structuredContent: data };
}

/**
 * Runs a tool and turns what goes wrong into an MCP error the assistant can relay: a bad argument, an unknown
 * team, sprint or release, a team not synced yet (InvalidParams, with the fix); anything else InternalError.
 */
async function run(fn: () => Promise<Record<string, unknown>>): Promise<CallToolResult> {
  try {
    return answer(await fn());
  } catch (err) {
    if (err instanceof McpError) throw err;
    const e = err as Error;
    const caller = err instanceof CliError || err instanceof RangeError || e?.name === 'SnapshotError' || e?.name === 'StoreError';
    throw new McpError(caller ? ErrorCode.InvalidParams : ErrorCode.InternalError, caller ? e.message : `agile-kpi failed: ${e?.message ?? String(err)}`);
  }
}

async function read(ctx: ToolContext, wanted: string, at: string | undefined): Promise<{ t: StoreTeam; report: MetricsReport }> {
  const t = await ctx.teams.find(wanted);
  checkAsOf(at);
  return { t, report: await ctx.teams.report(t, at) };
}

async function readWithSnapshot(ctx: ToolContext, wanted: string, at: string | undefined): Promise<{ t: StoreTeam; snapshot: Snapshot; report: MetricsReport }> {
  const { t, report } = await read(ctx, wanted, at);
  return { t, report, snapshot: await ctx.teams.snapshot(t, at) };
}

function checkAsOf(at: string | undefined): void {
  if (at !== undefined) instant('asOf', at);
}

function instant(name: string, value: string): string {
  if (!isRealInstant(value)) throw new CliError(`${name} must be an ISO-8601 instant with an offset, e.g. 2025-06-01T12:00:00Z, got '${value}'`);
  return new Date(Date.parse(value)).toISOString();
}

function pickSprint(snapshot: Snapshot, wanted: string): Snapshot['sprints'][number] {
  return pickNamed(snapshot.sprints, wanted, 'sprint');
}

function pickRelease(snapshot: Snapshot, wanted: string): Snapshot['releases'][number] {
  return pickNamed(snapshot.releases, wanted, 'release');
}

function pickNamed<T extends { readonly id: string; readonly name: string }>(list: readonly T[], wanted: string, what: string): T {
  const w = wanted.trim().toLowerCase();
  const found = list.find((x) => x.id === wanted) ?? list.find((x) => x.name.toLowerCase() === w);
  if (found) return found;
  const names = list.map((x) => `'${x.name}'`);
  throw new CliError(`no ${what} '${wanted}' here: give one of ${names.length ? names.slice(-12).join(', ') : '(none)'}${names.length > 12 ? ' (the latest 12)' : ''}, by name or id`);
}

/** Every evidence row of a result: its own and those inside its details (per sprint, per release), once each. */
function allEvidence(result: { readonly evidence: readonly Evidence[]; readonly details: unknown }): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  const add = (rows: readonly Evidence[]) => {
    for (const e of rows) {
      const k = JSON.stringify([e.itemId, e.role, e.sprintId ?? null, e.releaseId ?? null]);
      if (!seen.has(k)) {
        seen.add(k);
        out.push(e);
      }
    }
  };
  add(result.evidence);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'evidence' && Array.isArray(x)) add(x as Evidence[]);
        else walk(x);
      }
    }
  };
  walk(result.details);
  return out;
}

/** An evidence row as the tools show an item: its link into the tracker first. */
function itemRow(e: Evidence) {
  return {
    key: e.key,
    ...(e.url ? { url: e.url } : {}),
    title: e.title ?? null,
    role: e.role,
    contribution: e.contribution ?? null,
    ...(e.sprintId ? { sprintId: e.sprintId } : {}),
    ...(e.releaseId ? { releaseId: e.releaseId } : {}),
    ...(e.note ? { note: e.note } : {}),
    events: e.events ?? [],
  };
}
