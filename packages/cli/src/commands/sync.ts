import { Command } from 'commander';
import type { Io } from '../io';
import { CliError } from '../cli-error';
import { addJiraOptions, jiraSettings, openJiraScope, syncWithProgress, transportFor, type RawJiraOptions } from '../jira-source';

/**
 * `agile-kpi sync --source jira --board ID`: brings the local store up to date with the board. The first sync
 * reads everything; later ones only what changed since (and the result is the same as a full sync).
 */
export function syncCommand(io: Io): Command {
  const cmd = new Command('sync')
    .summary('bring the local store up to date with a tracker board')
    .description(
      'Fetch a board\'s issues with their full changelogs, its sprints and its versions into the local store. The ' +
        'first sync reads everything; later syncs read only issues updated since the last one (plus an id-only ' +
        'listing to notice issues that left the board), so they are fast and gentle on rate limits. Sprint and ' +
        'version dates are snapshotted at each sync: Jira keeps no history of them.',
    )
    .option('--source <tracker>', 'the tracker: jira', 'jira')
    .action((opts: RawJiraOptions) => runSync(opts, io));
  addJiraOptions(cmd, { sync: true });
  cmd.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  $ export JIRA_URL=https://your-domain.atlassian.net JIRA_EMAIL=you@example.com JIRA_API_TOKEN=...',
      '  $ agile-kpi sync --board 42',
      '  $ agile-kpi sync --board 42 --full --store ./team.sqlite',
    ].join('\n'),
  );
  return cmd;
}

export async function runSync(opts: RawJiraOptions, io: Io): Promise<void> {
  requireJira(opts.source);
  const settings = jiraSettings(opts, io.env);
  const { store, scope } = openJiraScope(settings);
  try {
    await syncWithProgress(transportFor(settings), scope, settings, io, opts.full === true);
  } finally {
    store.close();
  }
}

export function requireJira(source: string | undefined): void {
  if (source !== undefined && source !== 'jira') {
    throw new CliError(`--source must be jira (Azure DevOps is coming), got '${source}'`);
  }
}
