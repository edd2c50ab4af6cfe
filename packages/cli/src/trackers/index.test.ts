import { Command } from 'commander';
import { CliError } from '../cli-error';
import { TRACKERS, addTrackerOptions, findTracker, trackerOf } from './index';

describe('the tracker descriptors', () => {
  test('--source looks the tracker up: jira when absent, azure-devops by its id', () => {
    expect(trackerOf(undefined)).toMatchObject({ id: 'jira', label: 'Jira', syncState: 'jira-sync' });
    expect(trackerOf('jira').id).toBe('jira');
    expect(trackerOf('azure-devops')).toMatchObject({ id: 'azure-devops', label: 'Azure DevOps', syncState: 'ado-sync' });
  });

  test('an unknown source gets the CLI\'s wording, naming the trackers it reads', () => {
    expect(() => trackerOf('github')).toThrow(new CliError("--source must be jira or azure-devops, got 'github'"));
    expect(() => trackerOf('Jira')).toThrow(CliError);
    expect(findTracker('file')).toBeUndefined();
  });

  test('a stored team\'s key, label and list name, from its site and scope', () => {
    expect(trackerOf('jira').stored({ site: 'https://x.atlassian.net', scope: '42' })).toMatchObject({
      key: { source: 'jira', site: 'https://x.atlassian.net', scope: '42' },
      label: 'Jira board 42',
      name: 'Jira board 42',
    });
    expect(trackerOf('azure-devops').stored({ site: 'https://dev.azure.com/org', scope: 'Fabrikam/Fabrikam Team' })).toMatchObject({
      key: { source: 'azure-devops', site: 'https://dev.azure.com/org', scope: 'Fabrikam/Fabrikam Team' },
      label: 'Azure DevOps team Fabrikam/Fabrikam Team',
      name: 'Fabrikam Team (Fabrikam)',
    });
  });

  test('located: the team the flags name without credentials, its store and the command that syncs it', () => {
    expect(trackerOf('jira').located({ board: '42', store: 'x.sqlite' }, { JIRA_URL: 'https://x.atlassian.net/' })).toMatchObject({
      key: { source: 'jira', site: 'https://x.atlassian.net', scope: '42' },
      label: 'Jira board 42',
      storePath: 'x.sqlite',
      syncCommand: 'agile-kpi sync --board 42',
    });
    expect(trackerOf('azure-devops').located({ project: 'Fabrikam', team: 'Fabrikam Team', store: 'x.sqlite' }, { AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/org' })).toMatchObject({
      key: { source: 'azure-devops', site: 'https://dev.azure.com/org', scope: 'Fabrikam/Fabrikam Team' },
      syncCommand: 'agile-kpi sync --source azure-devops --project "Fabrikam" --team "Fabrikam Team"',
    });
    expect(() => trackerOf('jira').located({ store: 'x.sqlite' }, { JIRA_URL: 'https://x.atlassian.net' })).toThrow(/^--board is required/);
  });

  test('connect reads the settings and credentials from flags and the environment, with their messages', () => {
    const env = { JIRA_URL: 'https://x.atlassian.net/', JIRA_EMAIL: 'a@example.com', JIRA_API_TOKEN: 't' };
    const board = trackerOf('jira').connect({ board: '42', store: ':memory:' }, env);
    expect(board).toMatchObject({ key: { source: 'jira', site: 'https://x.atlassian.net', scope: '42' }, storePath: ':memory:', defaultStore: false });
    expect(trackerOf('jira').connectEach({ board: '42, 43,42', store: ':memory:' }, env).map((t) => t.key.scope)).toEqual(['42', '43']);
    expect(() => trackerOf('azure-devops').connect({ project: 'P', team: 'T' }, {})).toThrow(
      'no Azure DevOps organisation: pass --org https://dev.azure.com/your-org or set AZURE_DEVOPS_ORG_URL',
    );
  });

  test('every tracker declares its options in its own help group', () => {
    const cmd = addTrackerOptions(new Command('x'), { sync: true });
    expect(cmd.options.map((o) => o.long)).toEqual(expect.arrayContaining(['--board', '--service-projects', '--org', '--pat', '--project', '--team']));
    expect(TRACKERS.map((t) => t.id)).toEqual(['jira', 'azure-devops']);
  });
});
