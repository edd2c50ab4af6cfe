import type { MetricsOptions, MetricsReport, Snapshot, SprintVerdict } from '@agile-kpi/core';
import type { StoreScopeKey } from '@agile-kpi/store';
import { CliError } from '../cli-error';
import type { SnapshotOverrides } from '../metric-options';
import { metricsWithOutcomes } from '../outcomes/scope-outcomes';
import { type TeamScope, type TeamStore, outcomeView } from '../team-store';
import { type TrackerFlags, type TrackerId, findTracker, trackerById } from '../trackers';

/** A board or team in the store, as `list_teams` shows it and every other tool takes it (`team`). */
export interface StoreTeam {
  /** "jira:https://x.atlassian.net:42", "azure-devops:https://dev.azure.com/org:Fabrikam/Fabrikam Team". */
  readonly team: string;
  readonly name: string;
  readonly tracker: TrackerId;
  readonly site: string;
  /** Jira: the board id; Azure DevOps: "project/team". */
  readonly scope: string;
  /** When the last sync finished; null when the board or team was never synced into this store. */
  readonly lastSyncAt: string | null;
}

/** The team options the command line gave (blocked statuses, impediment types, working days, time zone). */
export type TeamFlags = TrackerFlags;

/**
 * The boards and teams synced into one store (SQLite or PostgreSQL), read as the other commands read them (`metrics --offline`): the
 * same mapping, the same checks, the same metrics. Reports are kept per team, as-of instant and sync, so that
 * an assistant asking several questions about one team computes it once.
 */
export class StoreTeams {
  private readonly reports = new Map<string, MetricsReport>();

  constructor(
    private readonly store: TeamStore,
    private readonly flags: TeamFlags,
    private readonly overrides: SnapshotOverrides,
    /** The metric options the command line gave (windows, thresholds, seed): every report is computed with them. */
    readonly options: MetricsOptions,
  ) {}

  async list(): Promise<StoreTeam[]> {
    const out: StoreTeam[] = [];
    for (const key of await this.store.scopes()) {
      const tracker = findTracker(key.source);
      if (!tracker) continue;
      const state = await (await this.store.scope(key)).getState<{ lastSyncAt?: string }>(tracker.syncState);
      out.push({ team: `${key.source}:${key.site}:${key.scope}`, name: tracker.teamName(key.scope), tracker: tracker.id, site: key.site, scope: key.scope, lastSyncAt: state?.lastSyncAt ?? null });
    }
    return out;
  }

  /** The team by its id, or by its board id, "project/team" or team name when that names one team only. */
  async find(wanted: string): Promise<StoreTeam> {
    const teams = await this.list();
    const w = wanted.trim().toLowerCase();
    const exact = teams.find((t) => t.team.toLowerCase() === w);
    if (exact) return exact;
    const loose = teams.filter((t) => t.scope.toLowerCase() === w || t.name.toLowerCase() === w || t.scope.toLowerCase().endsWith(`/${w}`));
    if (loose.length === 1) return loose[0]!;
    const known = teams.length ? teams.map((t) => `'${t.team}'`).join(', ') : 'none: sync a board first (agile-kpi sync --board <id>) or start the server with --sync';
    if (loose.length > 1) throw new CliError(`'${wanted}' names ${loose.length} teams in this store: give the team as list_teams gives it (${loose.map((t) => `'${t.team}'`).join(', ')})`);
    throw new CliError(`unknown team '${wanted}': give one of the teams list_teams gives (${known})`);
  }

  /** The team's snapshot as at `asOf` (default: its last sync), checked as `metrics` checks it. */
  async snapshot(team: StoreTeam, asOf?: string): Promise<Snapshot> {
    if (team.lastSyncAt === null) throw new CliError(`${team.name} at ${team.site} has not been synced into this store yet: run agile-kpi sync for it, or start the server with --sync`);
    const overrides = { ...this.overrides, ...(asOf !== undefined ? { asOf } : {}) };
    const scope = await this.scopeOf(team);
    const tracker = trackerById(team.tracker);
    return tracker.stored(team).snapshot(scope, tracker.teamOptions(this.flags, overrides), overrides);
  }

  /** Every KPI of the team as at `asOf`, as `agile-kpi metrics` computes them (its customer outcomes included; `options` over its own). */
  async report(team: StoreTeam, asOf?: string, options: MetricsOptions = {}): Promise<MetricsReport> {
    const merged = { ...this.options, ...options };
    const key = `${team.team}\n${JSON.stringify([team.lastSyncAt, asOf ?? null, merged])}`;
    let report = this.reports.get(key);
    if (!report) {
      report = metricsWithOutcomes(await this.snapshot(team, asOf), await outcomeView(await this.scopeOf(team)), merged, team.name);
      if (this.reports.size >= 16) this.reports.delete(this.reports.keys().next().value!);
      this.reports.set(key, report);
    }
    return report;
  }

  /** Records a sprint goal verdict where the store keeps them (what `serve`'s dashboard records). */
  async recordVerdict(team: StoreTeam, sprintId: string, verdict: SprintVerdict): Promise<void> {
    await (await this.scopeOf(team)).setVerdict(sprintId, verdict);
    for (const key of [...this.reports.keys()]) if (key.startsWith(`${team.team}\n`)) this.reports.delete(key);
  }

  private scopeOf(team: StoreTeam): Promise<TeamScope> {
    const key: StoreScopeKey = { source: team.tracker, site: team.site, scope: team.scope };
    return this.store.scope(key);
  }
}
