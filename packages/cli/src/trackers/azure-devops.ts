import type { AdoSettings } from '../ado-source';
import { CliError } from '../cli-error';
import { type StoredTeam, type Tracker, type TrackerTeam, optionsIn } from './tracker';

/** The Azure DevOps adapter, loaded when a command reads Azure DevOps (not to build a command or its help). */
const source = (): typeof import('../ado-source') => require('../ado-source') as typeof import('../ado-source');

/** Azure DevOps: a team (`--project`, `--team`) of an organisation (`--org`, AZURE_DEVOPS_ORG_URL), read with a personal access token. */
export const azureDevOps: Tracker = {
  id: 'azure-devops',
  label: 'Azure DevOps',
  syncState: 'ado-sync',
  siteField: 'org',
  addOptions(cmd) {
    const opt = optionsIn('Azure DevOps options:');
    return cmd
      .addOption(opt('--org <url>', 'organisation URL, e.g. https://dev.azure.com/your-org (default: $AZURE_DEVOPS_ORG_URL)'))
      .addOption(opt('--pat <token>', 'personal access token with Work Items (Read) (default: $AZURE_DEVOPS_PAT; prefer the variable)'))
      .addOption(opt('--project <name>', 'the project, as in https://dev.azure.com/your-org/<project>'))
      .addOption(opt('--team <name>', 'the team (Project settings > Teams), e.g. "Fabrikam Team"'));
  },
  connect: (flags, env) => connected(source().adoSettings(flags, env)),
  connectEach: (flags, env) => [azureDevOps.connect(flags, env)],
  stored: (key) => stored(teamOf(key)),
  located(flags, env) {
    const s = source().adoScopeSettings(flags, env);
    return { ...stored(s), storePath: s.storePath, syncCommand: `agile-kpi sync --source azure-devops --project "${s.project}" --team "${s.team}"` };
  },
  flagsOf: (key) => {
    const { orgUrl, project, team } = teamOf(key);
    return { org: orgUrl, project, team };
  },
  credentialsFrom: (variables, env) => ({ AZURE_DEVOPS_PAT: env[variables['pat']!] ?? '' }),
  teamOptions: (flags, overrides) => source().adoTeamOptions(flags, overrides),
  teamName: (scope) => `${scope.slice(scope.indexOf('/') + 1)} (${scope.slice(0, scope.indexOf('/'))})`,
  scheduledTeam(t, org, env) {
    const obj = typeof t === 'object' && t !== null ? (t as Record<string, unknown>) : undefined;
    const [project, team] = obj ? [obj['project'], obj['team']] : typeof t === 'string' ? splitOnce(t, '/') : [];
    if (typeof project !== 'string' || typeof team !== 'string' || !project || !team) throw new CliError(`an Azure DevOps team as "Project/Team" (or { project, team }), got ${JSON.stringify(t)}`);
    return azureDevOps.connect({ project, team, ...(org !== undefined ? { org } : {}) }, env);
  },
  missingCredentials(org, env) {
    if (!org && !env['AZURE_DEVOPS_ORG_URL']) return { field: 'org', message: 'no Azure DevOps organisation: set org: https://dev.azure.com/your-org on the entry, or AZURE_DEVOPS_ORG_URL' };
    if (!env['AZURE_DEVOPS_PAT']) return { field: '', message: 'no personal access token: set AZURE_DEVOPS_PAT (scope Work Items: Read)' };
    return undefined;
  },
};

/** The organisation, project and team of a scope in the store ("Project/Team"). */
function teamOf(key: { site: string; scope: string }): Pick<AdoSettings, 'orgUrl' | 'project' | 'team'> {
  const slash = key.scope.indexOf('/');
  return { orgUrl: key.site, project: key.scope.slice(0, slash), team: key.scope.slice(slash + 1) };
}

function stored(settings: Pick<AdoSettings, 'orgUrl' | 'project' | 'team'>): StoredTeam {
  const scope = `${settings.project}/${settings.team}`;
  return {
    tracker: azureDevOps,
    key: { source: 'azure-devops', site: settings.orgUrl, scope },
    label: `Azure DevOps team ${scope}`,
    name: azureDevOps.teamName(scope),
    snapshot: (store, team, overrides) => source().snapshotFromAdoStore(store, settings, team, overrides),
  };
}

function connected(settings: AdoSettings): TrackerTeam {
  const { storePath, defaultStore } = settings;
  const sync: TrackerTeam['sync'] = (scope, io, full = false) => source().syncAdoWithProgress(source().adoTransportFor(settings), scope, settings, io, full).then(() => undefined);
  return { ...stored(settings), storePath, defaultStore, sync, compile: (scope, team) => source().compileTeam(scope, settings, team) };
}

function splitOnce(s: string, sep: string): [string, string] | [] {
  const i = s.indexOf(sep);
  return i < 0 ? [] : [s.slice(0, i).trim(), s.slice(i + 1).trim()];
}
