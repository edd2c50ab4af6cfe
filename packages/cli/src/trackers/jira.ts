import type { JiraSettings } from '../jira-source';
import { CliError } from '../cli-error';
import { type StoredTeam, type Tracker, type TrackerTeam, optionsIn } from './tracker';

/** The Jira adapter, loaded when a command reads Jira (not to build a command or its help). */
const source = (): typeof import('../jira-source') => require('../jira-source') as typeof import('../jira-source');

/** Jira: a board (`--board 42`) on a site (`--site`, JIRA_URL), read with an account's API token. */
export const jira: Tracker = {
  id: 'jira',
  label: 'Jira',
  syncState: 'jira-sync',
  siteField: 'site',
  addOptions(cmd, { sync }) {
    const opt = optionsIn('Jira options:');
    cmd
      .addOption(opt('--board <id>', 'the Jira board id (the number in the board URL: .../boards/<id>)'))
      .addOption(opt('--site <url>', 'Jira site, e.g. https://your-domain.atlassian.net (default: $JIRA_URL)'))
      .addOption(opt('--email <email>', 'the account the API token belongs to (default: $JIRA_EMAIL)'))
      .addOption(opt('--token <token>', 'API token (default: $JIRA_API_TOKEN; prefer the variable, flags end up in shell history)'))
      .addOption(opt('--store <file|url>', `local store file, or a PostgreSQL store postgres://user:pass@host:5432/db (default: $AGILE_KPI_STORE or ~/.agile-kpi/store.sqlite)`))
      .addOption(opt('--concurrency <n>', 'requests in flight at once (default 4)'))
      .addOption(opt('--retries <n>', 'retries after a Jira failure or a network error, with back-off from 5 s (default 3)'))
      .addOption(opt('--blocked-statuses <names>', 'comma-separated status names that mean blocked, e.g. "Blocked,On Hold"'))
      .addOption(opt('--impediment-types <names>', 'comma-separated issue type names that are impediments (default Impediment)'))
      .addOption(opt('--working-days <days>', 'the team\'s working days as ISO weekdays, e.g. 1-5 or 1,2,3,4 (default 1-5)'));
    if (sync) {
      cmd.addOption(opt('--full', 'fetch everything again instead of what changed since the last sync'));
      cmd.addOption(opt('--service-projects <keys>', 'comma-separated Jira Service Management project keys whose request satisfaction ratings (CSAT) are read with the board, e.g. SUP,HELP; remembered for later syncs ("none" stops)'));
    }
    return cmd;
  },
  connect: (flags, env) => connected(source().jiraSettings(flags, env)),
  connectEach(flags, env) {
    const boards = (flags.board ?? '').split(',').map((b) => b.trim()).filter(Boolean);
    if (boards.length === 0) return [jira.connect(flags, env)];
    return [...new Set(boards)].map((board) => jira.connect({ ...flags, board }, env));
  },
  stored: (key) => stored({ site: key.site, boardId: Number(key.scope) }),
  located(flags, env) {
    const s = source().jiraScopeSettings(flags, env);
    return { ...stored(s), storePath: s.storePath, syncCommand: `agile-kpi sync --board ${s.boardId}` };
  },
  flagsOf: (key) => ({ site: key.site, board: key.scope }),
  credentialsFrom: (variables, env) => ({ JIRA_EMAIL: env[variables['email']!] ?? '', JIRA_API_TOKEN: env[variables['token']!] ?? '' }),
  teamOptions: (flags, overrides) => source().jiraTeamOptions(flags, overrides),
  teamName: (scope) => `Jira board ${scope}`,
  scheduledTeam(t, site, env) {
    const obj = typeof t === 'object' && t !== null ? (t as Record<string, unknown>) : undefined;
    const board = obj ? obj['board'] : t;
    if (!(typeof board === 'number' || (typeof board === 'string' && /^\d+$/.test(board.trim())))) throw new CliError(`a Jira board id such as 42 (or { board: 42 }), got ${JSON.stringify(t)}`);
    return jira.connect({ board: String(board).trim(), ...(site !== undefined ? { site } : {}) }, env);
  },
  missingCredentials(site, env) {
    if (!site && !env['JIRA_URL']) return { field: 'site', message: 'no Jira site: set site: https://your-domain.atlassian.net on the entry, or JIRA_URL' };
    if (!env['JIRA_EMAIL']) return { field: '', message: 'no Jira account: set JIRA_EMAIL (the account the API token belongs to)' };
    if (!env['JIRA_API_TOKEN']) return { field: '', message: 'no Jira API token: set JIRA_API_TOKEN' };
    return undefined;
  },
};

function stored(settings: Pick<JiraSettings, 'site' | 'boardId'>): StoredTeam {
  const name = jira.teamName(String(settings.boardId));
  return {
    tracker: jira,
    key: { source: 'jira', site: settings.site, scope: String(settings.boardId) },
    label: name,
    name,
    snapshot: (scope, team, overrides) => source().snapshotFromStore(scope, settings, team, overrides),
  };
}

function connected(settings: JiraSettings): TrackerTeam {
  const { storePath, defaultStore } = settings;
  const sync: TrackerTeam['sync'] = (scope, io, full = false) => source().syncWithProgress(source().transportFor(settings), scope, settings, io, full).then(() => undefined);
  return { ...stored(settings), storePath, defaultStore, sync, compile: (scope, team) => source().compileBoard(scope, settings, team) };
}
