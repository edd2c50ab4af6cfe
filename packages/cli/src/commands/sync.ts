import { Command } from 'commander';
import type { Io } from '../io';
import { CliError } from '../cli-error';
import { exclusively, openTeamScope } from '../team-store';
import { type TrackerFlags, addTrackerOptions, trackerOf } from '../trackers';

type SyncOptions = TrackerFlags;

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
    .option('--source <tracker>', 'the tracker: jira or azure-devops', 'jira')
    .action((opts: SyncOptions) => runSync(opts, io));
  addTrackerOptions(cmd, { sync: true });
  cmd.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  $ export JIRA_URL=https://your-domain.atlassian.net JIRA_EMAIL=you@example.com JIRA_API_TOKEN=...',
      '  $ agile-kpi sync --board 42',
      '  $ agile-kpi sync --board 42 --full --store ./team.sqlite',
      '  $ AGILE_KPI_STORE=postgres://agile_kpi:...@db.example:5432/agile_kpi agile-kpi sync --board 42',
      '  $ export AZURE_DEVOPS_ORG_URL=https://dev.azure.com/your-org AZURE_DEVOPS_PAT=...',
      '  $ agile-kpi sync --source azure-devops --project Fabrikam --team "Fabrikam Team"',
    ].join('\n'),
  );
  return cmd;
}

export async function runSync(opts: SyncOptions, io: Io): Promise<void> {
  const tracker = trackerOf(opts.source);
  const team = tracker.connect(opts, io.env);
  const { scope, close } = await openTeamScope(team.storePath, team.defaultStore, team.key);
  try {
    await exclusively(scope, async () => {
      await team.sync(scope, io, opts.full === true);
      await team.compile(scope, tracker.teamOptions(opts, {}));
    });
  } finally {
    await close();
  }
}

/** For commands that only speak Jira (verify reads Jira's own velocity chart). */
export function requireJira(source: string | undefined): void {
  if (trackerOf(source).id !== 'jira') throw new CliError('verify compares with Jira\'s own velocity chart: it needs --source jira');
}
