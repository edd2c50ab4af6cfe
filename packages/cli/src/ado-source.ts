import type { Snapshot } from '@agile-kpi/core';
import { AdoClient, type AdoSyncResult, type AdoTeamOptions, type AdoTransport, adoTeamSource, compileSource, compiledSnapshot, nodeApiTransport, syncAdoTeam } from '@agile-kpi/azure-devops';
import { defaultStorePath } from '@agile-kpi/store';
import { CliError } from './cli-error';
import type { TeamScope } from './team-store';
import type { Io } from './io';
import { type SnapshotOverrides, wholeNumber } from './metric-options';
import { checkCompiledSnapshot } from './read-snapshot';
import { ProgressLine, skippedNote } from './progress-line';

/**
 * Everything the CLI needs to read an Azure DevOps team: settings from flags or the environment
 * (AZURE_DEVOPS_ORG_URL, AZURE_DEVOPS_PAT, AGILE_KPI_STORE), the local store keyed by organisation, project
 * and team, a sync with the same progress line as Jira's, and the mapped, checked snapshot.
 */
export interface RawAdoOptions {
  readonly org?: string;
  readonly pat?: string;
  readonly project?: string;
  readonly team?: string;
  readonly store?: string;
  readonly full?: boolean;
  readonly offline?: boolean;
  readonly concurrency?: string;
  readonly retries?: string;
  readonly blockedStatuses?: string;
}

export interface AdoSettings {
  readonly orgUrl: string;
  readonly pat: string;
  readonly project: string;
  readonly team: string;
  readonly storePath: string;
  readonly defaultStore: boolean;
  readonly concurrency: number;
  readonly retries: number;
}

/** Where a team's data is kept: organisation, project and team, and the store. */
export type AdoScopeSettings = Pick<AdoSettings, 'orgUrl' | 'project' | 'team' | 'storePath' | 'defaultStore'>;

/** The team's place in the store, without credentials: what reading or adding local data (outcome imports) needs. */
export function adoScopeSettings(raw: RawAdoOptions, env: Io['env']): AdoScopeSettings {
  const orgUrl = adoOrgUrl(raw, env);
  if (!raw.project) throw new CliError('--project is required: the project name, as in https://dev.azure.com/your-org/<project>');
  if (!raw.team) throw new CliError('--team is required: the team name (Project settings > Teams)');
  return { orgUrl, project: raw.project, team: raw.team, storePath: raw.store ?? defaultStorePath(env), defaultStore: raw.store === undefined && env['AGILE_KPI_STORE'] === undefined };
}

function adoOrgUrl(raw: RawAdoOptions, env: Io['env']): string {
  const orgUrl = (raw.org ?? env['AZURE_DEVOPS_ORG_URL'])?.replace(/\/+$/, '');
  if (!orgUrl) throw new CliError('no Azure DevOps organisation: pass --org https://dev.azure.com/your-org or set AZURE_DEVOPS_ORG_URL');
  if (!/^https?:\/\/[^/\s]+\/?\S*$/.test(orgUrl)) throw new CliError(`--org must be a URL like https://dev.azure.com/your-org, got '${orgUrl}'`);
  return orgUrl;
}

export function adoSettings(raw: RawAdoOptions, env: Io['env']): AdoSettings {
  adoOrgUrl(raw, env);
  // --offline reads the store only: no token is needed.
  const pat = raw.pat ?? env['AZURE_DEVOPS_PAT'] ?? '';
  if (!pat && !raw.offline) throw new CliError('no personal access token: set AZURE_DEVOPS_PAT (User settings > Personal access tokens, scope Work Items: Read)');
  return {
    ...adoScopeSettings(raw, env),
    pat,
    concurrency: wholeNumber('--concurrency', raw.concurrency, 1, 16) ?? 4,
    retries: wholeNumber('--retries', raw.retries, 0, 10) ?? 3,
  };
}

export function adoTeamOptions(raw: RawAdoOptions, overrides: SnapshotOverrides): AdoTeamOptions {
  const blocked = raw.blockedStatuses?.split(',').map((x) => x.trim()).filter(Boolean);
  return { ...(overrides.timeZone ? { timeZone: overrides.timeZone } : {}), ...(blocked ? { blockedStatuses: blocked } : {}) };
}

export function adoTransportFor(settings: AdoSettings): AdoTransport {
  return nodeApiTransport({ orgUrl: settings.orgUrl, pat: settings.pat });
}

/** Syncs the team, with a live progress line on a terminal's stderr and a summary line after. */
export async function syncAdoWithProgress(transport: AdoTransport, scope: TeamScope, settings: AdoSettings, io: Io, full = false): Promise<AdoSyncResult> {
  const label = `${settings.project}/${settings.team}`;
  const line = new ProgressLine(io, 'throttling');
  const client = new AdoClient(transport, { concurrency: settings.concurrency, retry: { failureRetries: settings.retries }, events: { onWait: line.onWait } });
  try {
    const r = await syncAdoTeam(client, scope, {
      project: settings.project,
      team: settings.team,
      full,
      onProgress: (p) => line.show(`syncing ${label}: ${p.phase} · ${p.items} work items · ${p.revisions} revisions`),
    });
    line.done(
      `synced ${label} (${r.mode}): ${r.items} work items${skippedNote(r.skipped.workItems, 'work items')}, ${r.revisionsRead} revisions read, ${r.itemsChanged} changed, ` +
        `${r.backfilled} backfilled, ${r.itemsDeleted} removed, ${r.iterations} iterations${skippedNote(r.skipped.iterations, 'iterations')}; ` +
        `${client.stats.requests} requests${client.stats.rateLimited ? `, ${client.stats.rateLimited} throttled` : ''}`,
      r.warnings,
    );
    return r;
  } catch (err) {
    line.abort();
    throw err;
  }
}

/** Compiles what the last sync of the team changed, so that computing from the store need not. */
export async function compileTeam(scope: TeamScope, settings: Pick<AdoSettings, 'orgUrl'>, team: AdoTeamOptions): Promise<void> {
  await compileSource(scope, settings.orgUrl, adoTeamSource, team);
}

/** The synced team as a checked snapshot, from the work items the store keeps compiled (see `snapshotFromStore`). */
export async function snapshotFromAdoStore(scope: TeamScope, settings: Pick<AdoSettings, 'orgUrl' | 'project' | 'team'>, team: AdoTeamOptions, overrides: SnapshotOverrides): Promise<Snapshot> {
  const compiled = await compiledSnapshot(scope, settings.orgUrl, adoTeamSource, team);
  if (!compiled) throw new CliError(`team ${settings.project}/${settings.team} at ${settings.orgUrl} has not been synced into this store yet: run without --offline (or agile-kpi sync) first`);
  return checkCompiledSnapshot(compiled, `Azure DevOps team ${settings.project}/${settings.team}`, overrides);
}
