import { type MetricsOptions, type MetricsReport, computeMetrics } from '@agile-kpi/core';
import type { JiraTeamOptions } from '@agile-kpi/jira';
import type { AdoTeamOptions } from '@agile-kpi/azure-devops';
import type { AgileStore } from '@agile-kpi/store';
import type { SimulatedTeam } from '@agile-kpi/testkit';
import { type AdoSettings, adoTransportFor, snapshotFromAdoStore, syncAdoWithProgress } from '../ado-source';
import { throughJira } from '../commands/demo';
import type { Io } from '../io';
import { type JiraSettings, snapshotFromStore, syncWithProgress, transportFor } from '../jira-source';
import type { SnapshotOverrides } from '../metric-options';
import { demoMetrics } from '../outcomes/demo-outcomes';
import { metricsWithOutcomes } from '../outcomes/scope-outcomes';
import { checkSnapshot, readSnapshot } from '../read-snapshot';

/**
 * Where one team of a report comes from: the simulated team (read through the simulated Jira, as `demo` does),
 * a snapshot file, a Jira board or an Azure DevOps team (synced into the local store first, unless offline; with
 * the customer outcome records and settings kept for it there).
 * The report command and the scheduler both read teams through here.
 */
export type TeamSource =
  | { readonly kind: 'demo'; readonly team: SimulatedTeam }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'jira'; readonly settings: JiraSettings; readonly team: JiraTeamOptions }
  | { readonly kind: 'azure-devops'; readonly settings: AdoSettings; readonly team: AdoTeamOptions };

export interface LoadOptions {
  readonly io: Io;
  readonly metrics: MetricsOptions;
  readonly overrides: SnapshotOverrides;
  /** Use the store as it is, without syncing first. */
  readonly offline: boolean;
  /** The store tracker data is synced into (opened by the caller, once). */
  readonly store: () => AgileStore;
}

/** "Jira board 42": a source in messages. */
export function describeSource(s: TeamSource): string {
  switch (s.kind) {
    case 'demo':
      return `simulated team ${s.team.snapshot.team.name}`;
    case 'file':
      return s.path;
    case 'jira':
      return `Jira board ${s.settings.boardId}`;
    case 'azure-devops':
      return `Azure DevOps team ${s.settings.project}/${s.settings.team}`;
  }
}

export async function loadTeamReport(source: TeamSource, o: LoadOptions): Promise<MetricsReport> {
  switch (source.kind) {
    case 'demo':
      return demoMetrics(source.team, checkSnapshot(await throughJira(source.team), describeSource(source), o.overrides), o.metrics, describeSource(source));
    case 'file':
      return computeMetrics(readSnapshot(source.path, o.overrides), o.metrics);
    case 'jira': {
      const { settings } = source;
      const scope = o.store().scope({ source: 'jira', site: settings.site, scope: String(settings.boardId) });
      if (!o.offline) await syncWithProgress(transportFor(settings), scope, settings, o.io);
      return metricsWithOutcomes(await snapshotFromStore(scope, settings, source.team, o.overrides), scope, o.metrics, describeSource(source));
    }
    case 'azure-devops': {
      const { settings } = source;
      const scope = o.store().scope({ source: 'azure-devops', site: settings.orgUrl, scope: `${settings.project}/${settings.team}` });
      if (!o.offline) await syncAdoWithProgress(adoTransportFor(settings), scope, settings, o.io);
      return metricsWithOutcomes(await snapshotFromAdoStore(scope, settings, source.team, o.overrides), scope, o.metrics, describeSource(source));
    }
  }
}
