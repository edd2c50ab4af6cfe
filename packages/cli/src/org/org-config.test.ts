import type { Io } from '../io';
import { isLoopback, parseOrgConfig, visibleTeams } from './org-config';

const io = (env: Record<string, string> = {}): Io => ({
  stdout: { write: () => true },
  stderr: { write: () => true },
  isTTY: false,
  env: { JIRA_EMAIL: 'a@example.com', JIRA_API_TOKEN: 'secret-token', AZURE_DEVOPS_PAT: 'secret-pat', AGILE_KPI_STORE: '/tmp/x.sqlite', ...env },
});

const TEAMS = `teams:
  - id: platform
    name: Platform
    tags: [tribe:payments]
    jira: { site: https://example.atlassian.net/, board: 42 }
    time-zone: Europe/Berlin
    blocked-statuses: [Blocked]
  - id: fabrikam
    tags: [tribe:core]
    azure-devops: { org: https://dev.azure.com/fabrikam, project: Fabrikam, team: Fabrikam Team, pat-env: FABRIKAM_PAT }
`;

describe('parseOrgConfig', () => {
  it('reads teams, their trackers, options and the variables holding their credentials', () => {
    const c = parseOrgConfig(TEAMS, 'org.yml', io({ FABRIKAM_PAT: 'p' }));
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, auth: { kind: 'none' }, access: [], storePath: '/tmp/x.sqlite', defaultStore: false });
    expect(c.teams).toEqual([
      { id: 'platform', name: 'Platform', tags: ['tribe:payments'], tracker: 'jira', site: 'https://example.atlassian.net', scope: '42', flags: { blockedStatuses: 'Blocked' }, overrides: { timeZone: 'Europe/Berlin' }, credentials: { email: 'JIRA_EMAIL', token: 'JIRA_API_TOKEN' } },
      { id: 'fabrikam', name: 'Fabrikam Team (Fabrikam)', tags: ['tribe:core'], tracker: 'azure-devops', site: 'https://dev.azure.com/fabrikam', scope: 'Fabrikam/Fabrikam Team', flags: {}, overrides: {}, credentials: { pat: 'FABRIKAM_PAT' } },
    ]);
    // Credentials are named, never read into the config.
    expect(JSON.stringify(c)).not.toMatch(/secret|"p"/);
  });

  it('refuses to listen beyond loopback without auth, and names every problem with its team and field', () => {
    const text = `listen: { host: 0.0.0.0 }\nsync: { cron: "every hour" }\n${TEAMS}  - id: platform\n    jira: { board: 7 }\n`;
    expect(() => parseOrgConfig(text, 'org.yml', io({ JIRA_URL: 'https://example.atlassian.net' }))).toThrow(
      "org.yml: 4 problems: teams[1] (fabrikam).azure-devops.pat-env: the variable FABRIKAM_PAT is not set (a personal access token with Work Items: Read); " +
        "teams[2] (platform).id: 'platform' is used by an earlier team; ids must be unique (they are the teams' addresses); " +
        'listen.host: 0.0.0.0 is not a loopback address, so the server needs auth: (token-env: a variable holding a token, or trusted-header: the header a reverse proxy sets); without it, listen on 127.0.0.1; ' +
        "sync.cron: 'every hour' is not a cron expression",
    );
  });

  it('checks the shape first: unknown fields, a team without a tracker, a bad id', () => {
    expect(() => parseOrgConfig('teams:\n  - id: Platform Team\n    jira: { board: 1 }\n    colour: red\n', 'org.yml', io())).toThrow(
      /^org\.yml: 2 problems: teams\[0\] \(Platform Team\)\.id: an id of lowercase letters.*; teams\[0\] \(Platform Team\): unknown field 'colour'$/,
    );
    expect(() => parseOrgConfig('teams:\n  - id: x\n', 'org.yml', io({ JIRA_URL: 'https://e.atlassian.net' }))).toThrow("org.yml: teams[0] (x): give either jira: { board: 42 } or azure-devops: { project: ..., team: ... }");
    expect(() => parseOrgConfig('teams: [\n', 'org.yml', io())).toThrow(/^org\.yml:\d+:\d+: not valid YAML/);
  });

  it('a token needs its variable and 16 characters; access rules need users, who only a trusted header names', () => {
    expect(() => parseOrgConfig(`auth: { token-env: ORG_TOKEN }\n${TEAMS}`, 'org.yml', io({ FABRIKAM_PAT: 'p' }))).toThrow('org.yml: auth.token-env: the variable ORG_TOKEN is not set');
    expect(() => parseOrgConfig(`auth: { token-env: ORG_TOKEN }\n${TEAMS}`, 'org.yml', io({ FABRIKAM_PAT: 'p', ORG_TOKEN: 'short' }))).toThrow(/is 5 characters; use at least 16/);
    expect(() => parseOrgConfig(`auth: { token-env: ORG_TOKEN }\naccess: [{ user: ada, teams: [platform] }]\n${TEAMS}`, 'org.yml', io({ FABRIKAM_PAT: 'p', ORG_TOKEN: 'x'.repeat(16) }))).toThrow(
      /access: rules name users, who are known only with auth\.trusted-header/,
    );
    const c = parseOrgConfig(`listen: { host: 0.0.0.0, port: 9000 }\nauth: { trusted-header: X-Forwarded-User }\naccess:\n  - { user: ada@example.com, tags: [tribe:payments] }\n  - { user: "*", teams: [fabrikam] }\n${TEAMS}`, 'org.yml', io({ FABRIKAM_PAT: 'p' }));
    expect(c.auth).toEqual({ kind: 'header', header: 'x-forwarded-user' });
    expect(visibleTeams(c, 'Ada@example.com').map((t) => t.id)).toEqual(['platform', 'fabrikam']);
    expect(visibleTeams(c, 'bob@example.com').map((t) => t.id)).toEqual(['fabrikam']);
    expect(visibleTeams({ ...c, access: [] }, undefined).map((t) => t.id)).toEqual(['platform', 'fabrikam']);
  });

  it('checks team options as the CLI checks its flags', () => {
    expect(() => parseOrgConfig('teams:\n  - id: x\n    jira: { site: https://e.atlassian.net, board: 1 }\n    time-zone: Mars/Base\n', 'org.yml', io())).toThrow(/^org\.yml: teams\[0\] \(x\): time-zone must be an IANA time zone/);
  });
});

it('isLoopback: 127.x.x.x, ::1 and localhost only', () => {
  expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
  expect(['0.0.0.0', '192.168.1.2', '::', 'example.com'].some(isLoopback)).toBe(false);
});
