import type { Snapshot } from '@agile-kpi/core';
import {
  JiraClient,
  type JiraTeamOptions,
  type JiraTransport,
  type SyncResult,
  compileSource,
  compiledSnapshot,
  jiraBoardSource,
  jiraJsTransport,
  serviceProjectKeys as readServiceProjectKeys,
  syncJiraBoard,
  syncNamedServiceRatings,
} from '@agile-kpi/jira';
import { defaultStorePath } from '@agile-kpi/store';
import { CliError } from './cli-error';
import type { TeamScope } from './team-store';
import type { Io } from './io';
import { type SnapshotOverrides, wholeNumber } from './metric-options';
import { checkCompiledSnapshot } from './read-snapshot';
import { ProgressLine, skippedNote } from './progress-line';

/**
 * Everything the CLI needs to read a Jira board: settings from flags or the environment (JIRA_URL,
 * JIRA_EMAIL, JIRA_API_TOKEN, AGILE_KPI_STORE), the local store, a sync with a progress line, and the
 * mapped, checked snapshot. Shared by `sync`, `metrics --source jira` and `verify`.
 */
export interface RawJiraOptions {
  readonly source?: string;
  readonly site?: string;
  readonly email?: string;
  readonly token?: string;
  readonly board?: string;
  readonly store?: string;
  readonly full?: boolean;
  readonly offline?: boolean;
  readonly concurrency?: string;
  readonly retries?: string;
  readonly blockedStatuses?: string;
  readonly impedimentTypes?: string;
  readonly workingDays?: string;
  readonly serviceProjects?: string;
}

export interface JiraSettings {
  readonly site: string;
  readonly email: string;
  readonly apiToken: string;
  readonly boardId: number;
  readonly storePath: string;
  readonly defaultStore: boolean;
  readonly concurrency: number;
  /** Retries after a server failure or a network error (rate limits are always waited out). */
  readonly retries: number;
  /** Jira Service Management projects whose satisfaction ratings a sync reads (absent: those the last sync read). */
  readonly serviceProjects?: readonly string[];
}

/** Where a board's data is kept: its site and id, and the store. */
export type JiraScopeSettings = Pick<JiraSettings, 'site' | 'boardId' | 'storePath' | 'defaultStore'>;

/** The board's place in the store, without credentials: what reading or adding local data (outcome imports) needs. */
export function jiraScopeSettings(raw: RawJiraOptions, env: Io['env']): JiraScopeSettings {
  const site = (raw.site ?? env['JIRA_URL'])?.replace(/\/+$/, '');
  if (!raw.board) throw new CliError('--board is required: the Jira board id (the number in the board URL: .../boards/<id>)');
  const boardId = wholeNumber('--board', raw.board, 1)!;
  if (!site) throw new CliError('no Jira site: pass --site https://your-domain.atlassian.net or set JIRA_URL');
  if (!/^https?:\/\/[^/\s]+/.test(site)) throw new CliError(`--site must be a URL like https://your-domain.atlassian.net, got '${site}'`);
  return { site, boardId, storePath: raw.store ?? defaultStorePath(env), defaultStore: raw.store === undefined && env['AGILE_KPI_STORE'] === undefined };
}

export function jiraSettings(raw: RawJiraOptions, env: Io['env']): JiraSettings {
  const { site, boardId } = jiraScopeSettings(raw, env);
  // --offline reads the store only: no credentials are needed (a job that only reads a synced store has none).
  const email = raw.email ?? env['JIRA_EMAIL'] ?? '';
  const apiToken = raw.token ?? env['JIRA_API_TOKEN'] ?? '';
  if (!email && !raw.offline) throw new CliError('no Jira account: pass --email or set JIRA_EMAIL (the account the API token belongs to)');
  if (!apiToken && !raw.offline) throw new CliError('no API token: set JIRA_API_TOKEN (create one at https://id.atlassian.com/manage-profile/security/api-tokens)');
  const storePath = raw.store ?? defaultStorePath(env);
  const serviceProjects = raw.serviceProjects === undefined ? undefined : serviceProjectKeys(raw.serviceProjects);
  return {
    site,
    email,
    apiToken,
    boardId,
    storePath,
    defaultStore: raw.store === undefined && env['AGILE_KPI_STORE'] === undefined,
    concurrency: wholeNumber('--concurrency', raw.concurrency, 1, 16) ?? 4,
    retries: wholeNumber('--retries', raw.retries, 0, 10) ?? 3,
    ...(serviceProjects ? { serviceProjects } : {}),
  };
}

/** "SUP, help" -> ['SUP', 'HELP']; "none" -> [] (stop reading ratings). */
function serviceProjectKeys(raw: string): string[] {
  if (raw.trim().toLowerCase() === 'none') return [];
  const keys = readServiceProjectKeys(raw);
  if (!keys?.length) throw new CliError(`--service-projects must be Jira project keys separated by commas, like SUP,HELP (or none), got '${raw}'`);
  return keys;
}

export function jiraTeamOptions(raw: RawJiraOptions, overrides: SnapshotOverrides): JiraTeamOptions {
  const list = (s: string | undefined) => s?.split(',').map((x) => x.trim()).filter(Boolean);
  const blocked = list(raw.blockedStatuses);
  const types = list(raw.impedimentTypes);
  const days = raw.workingDays === undefined ? undefined : workingDays(raw.workingDays);
  return {
    ...(overrides.timeZone ? { timeZone: overrides.timeZone } : {}),
    ...(blocked ? { blockedStatuses: blocked } : {}),
    ...(types ? { impedimentTypes: types } : {}),
    ...(days ? { workingDays: days } : {}),
  };
}

function workingDays(raw: string): number[] {
  const m = /^\s*([1-7])\s*-\s*([1-7])\s*$/.exec(raw);
  const days = m ? range(Number(m[1]), Number(m[2])) : raw.split(',').map((d) => Number(d.trim()));
  if (!days.length || days.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    throw new CliError(`--working-days must be ISO weekdays (1 = Monday ... 7 = Sunday) like 1-5 or 1,2,3,4, got '${raw}'`);
  }
  return [...new Set(days)].sort();
}

function range(a: number, b: number): number[] {
  const out: number[] = [];
  for (let d = a; d <= b; d++) out.push(d);
  return out;
}

export function transportFor(settings: JiraSettings): JiraTransport {
  return jiraJsTransport({ site: settings.site, email: settings.email, apiToken: settings.apiToken });
}

/**
 * Syncs the board into the scope, with a one-line progress display on stderr when it is a terminal
 * (pages, issues, changelogs, rate-limit waits), and a summary line after.
 */
export async function syncWithProgress(transport: JiraTransport, scope: TeamScope, settings: Pick<JiraSettings, 'boardId' | 'concurrency' | 'retries' | 'serviceProjects'>, io: Io, full = false): Promise<SyncResult> {
  const line = new ProgressLine(io, 'rate limits');
  const client = new JiraClient(transport, { concurrency: settings.concurrency, retry: { failureRetries: settings.retries }, events: { onWait: line.onWait } });
  try {
    const result = await syncJiraBoard(client, scope, {
      boardId: settings.boardId,
      full,
      onProgress: (p) => line.show(`syncing board ${settings.boardId}: ${p.phase} · ${p.pages} pages · ${p.issues} issues · ${p.changelogs} changelogs`),
    });
    line.done(
      `synced board ${settings.boardId} (${result.mode}): ${result.issuesSearched} issues read${skippedNote(result.skipped.issues, 'issues')}, ` +
        `${result.changelogsFetched} changelogs fetched, ${result.issuesDeleted} removed, ${result.sprints} sprints${skippedNote(result.skipped.sprints, 'sprints')}, ` +
        `${result.versions} versions${skippedNote(result.skipped.versions, 'versions')}; ${client.stats.requests} requests` +
        `${client.stats.rateLimited ? `, ${client.stats.rateLimited} rate-limited` : ''}`,
      result.warnings,
    );
    await syncRatings(client, scope, settings, io, full);
    return result;
  } catch (err) {
    line.abort();
    throw err;
  }
}

/** The satisfaction ratings of the service projects named now, or by the last sync of this board; a summary line. */
async function syncRatings(client: JiraClient, scope: TeamScope, settings: Pick<JiraSettings, 'serviceProjects'>, io: Io, full: boolean): Promise<void> {
  const line = new ProgressLine(io, 'rate limits');
  const r = await syncNamedServiceRatings(client, scope, {
    ...(settings.serviceProjects ? { named: settings.serviceProjects } : {}),
    full,
    onStart: (keys) => line.show(`reading satisfaction ratings of ${keys.join(', ')}`),
  });
  if (!r) return;
  line.done(`read satisfaction ratings of ${r.projectKeys.join(', ')} (${r.mode}): ${r.requestsRead} rated requests read, ${r.recordsChanged} ratings new or changed${r.recordsRemoved ? `, ${r.recordsRemoved} removed (no longer rated there)` : ''}${skippedNote(r.skipped, 'requests')}`, r.warnings);
}

/** Compiles what the last sync of the board changed, so that computing from the store need not. */
export async function compileBoard(scope: TeamScope, settings: Pick<JiraSettings, 'site'>, team: JiraTeamOptions): Promise<void> {
  await compileSource(scope, settings.site, jiraBoardSource, team);
}

/**
 * The synced board as a checked snapshot, from the issues the store keeps compiled (compiling first what the last
 * sync changed, or everything when a mapping setting such as the impediment types differs from the last time).
 */
export async function snapshotFromStore(scope: TeamScope, settings: Pick<JiraSettings, 'site' | 'boardId'>, team: JiraTeamOptions, overrides: SnapshotOverrides): Promise<Snapshot> {
  const board = await compiledSnapshot(scope, settings.site, jiraBoardSource, team);
  if (!board) throw new CliError(`board ${settings.boardId} at ${settings.site} has not been synced into this store yet: run without --offline (or agile-kpi sync) first`);
  return checkCompiledSnapshot(board, `Jira board ${settings.boardId}`, overrides);
}
