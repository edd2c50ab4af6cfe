import { type MetricsOptions, type MetricsReport, computeMetrics } from '@agile-kpi/core';
import type { SimulatedTeam } from '@agile-kpi/testkit';
import { throughJira } from '../commands/demo';
import type { Io } from '../io';
import type { SnapshotOverrides } from '../metric-options';
import { demoMetrics } from '../outcomes/demo-outcomes';
import { metricsWithOutcomes } from '../outcomes/scope-outcomes';
import { checkSnapshot, readSnapshot } from '../read-snapshot';
import { type TeamStore, exclusively, outcomeView } from '../team-store';
import type { TrackerTeam, TrackerTeamOptions } from '../trackers';

/**
 * Where one team of a report comes from: the simulated team (read through the simulated Jira, as `demo` does),
 * a snapshot file, a Jira board or an Azure DevOps team (synced into the store first, SQLite or PostgreSQL,
 * unless offline; with the customer outcome records and settings kept for it there).
 * The report command and the scheduler both read teams through here.
 */
export type TeamSource =
  | { readonly kind: 'demo'; readonly team: SimulatedTeam }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'tracker'; readonly team: TrackerTeam; readonly options: TrackerTeamOptions };

export interface LoadOptions {
  readonly io: Io;
  readonly metrics: MetricsOptions;
  readonly overrides: SnapshotOverrides;
  /** Use the store as it is, without syncing first. */
  readonly offline: boolean;
  /** The store tracker data is synced into (opened by the caller, once). */
  readonly store: () => Promise<TeamStore>;
}

/** "Jira board 42": a source in messages. */
export function describeSource(s: TeamSource): string {
  switch (s.kind) {
    case 'demo':
      return `simulated team ${s.team.snapshot.team.name}`;
    case 'file':
      return s.path;
    case 'tracker':
      return s.team.label;
  }
}

export async function loadTeamReport(source: TeamSource, o: LoadOptions): Promise<MetricsReport> {
  switch (source.kind) {
    case 'demo':
      return demoMetrics(source.team, checkSnapshot(await throughJira(source.team), describeSource(source), o.overrides), o.metrics, describeSource(source));
    case 'file':
      return computeMetrics(readSnapshot(source.path, o.overrides), o.metrics);
    case 'tracker': {
      const { team } = source;
      const scope = await (await o.store()).scope(team.key);
      // The sync lock of the scope (PostgreSQL's): a report never interleaves with the server's sync of the board.
      if (!o.offline) await exclusively(scope, () => team.sync(scope, o.io));
      return metricsWithOutcomes(await team.snapshot(scope, source.options, o.overrides), await outcomeView(scope), o.metrics, describeSource(source));
    }
  }
}
