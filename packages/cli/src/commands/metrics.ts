import { Command } from 'commander';
import { computeMetrics } from '@agile-kpi/core';
import { emitReport, type OutputFormat } from '../emit-report';
import type { Io } from '../io';
import { addMetricOptions, choice, metricOptions, snapshotOverrides, type RawMetricOptions } from '../metric-options';
import { readOutcomesFile, readSnapshot } from '../read-snapshot';
import { lightsHelp } from './lights-help';
import { CliError } from '../cli-error';
import { metricsWithOutcomes } from '../outcomes/scope-outcomes';
import { exclusively, openTeamScope, outcomeView } from '../team-store';
import { type TrackerFlags, addTrackerOptions, trackerOf } from '../trackers';

/** `agile-kpi metrics`: every KPI from a snapshot file of the neutral model (from an adapter or by hand). */

export interface MetricsCommandOptions extends RawMetricOptions, TrackerFlags {
  readonly input?: string;
  readonly outcomes?: string;
  readonly format?: string;
  readonly out?: string;
}

export function metricsCommand(io: Io): Command {
  const cmd = new Command('metrics')
    .summary('compute every KPI from a snapshot file')
    .description(
      'Compute velocity, sprint goal rate, impediment resolution time, sprint progress, backlog health, release ' +
        'predictability and flow from a snapshot file (the tracker-neutral model; see `agile-kpi schema`). ' +
        'Prints a summary with a traffic light per KPI, or the full results with their evidence as JSON.',
    )
    .option('-i, --input <file>', 'snapshot file (JSON), e.g. one written by `agile-kpi demo --write-snapshot`')
    .option('--outcomes <file>', 'with --input: the team\'s customer outcomes (survey responses, usage, benefits, cost), e.g. the file `agile-kpi demo --write-snapshot` writes beside the snapshot')
    .option('--source <tracker>', 'read a tracker instead of a file: jira (with --board) or azure-devops (with --project, --team)')
    .option('--offline', 'with --source: use the local store as it is, without syncing first')
    .option('-f, --format <format>', 'text (a summary) or json (the whole report, evidence included)', 'text')
    .option('-o, --out <dir>', 'also write <dir>/metrics.json')
    .action((opts: MetricsCommandOptions) => runMetrics(opts, io));
  addMetricOptions(cmd, 'seed of the release forecast\'s random source (default 42): same seed, same dates');
  addTrackerOptions(cmd, { sync: true });
  cmd.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  $ agile-kpi metrics --input team.json',
      '  $ agile-kpi metrics --input team.json --format json > metrics.json',
      '  $ agile-kpi metrics --input team.json --outcomes team.outcomes.json',
      '  $ agile-kpi metrics --input team.json --as-of 2025-03-01T12:00:00Z --time-zone Europe/Berlin --velocity-sprints 5',
      '  $ agile-kpi metrics --source jira --board 42               (syncs first; JIRA_URL, JIRA_EMAIL, JIRA_API_TOKEN)',
      '  $ agile-kpi metrics --source jira --board 42 --offline     (from the local store only)',
      '  $ agile-kpi metrics --source azure-devops --project Fabrikam --team "Fabrikam Team" --time-zone Europe/Berlin',
      '',
      'With --source, the customer outcomes (CSAT, NPS, feature adoption, ROI, release impact) come from the records',
      'and settings kept for the board or team: see `agile-kpi outcomes --help`.',
      '',
      ...lightsHelp(),
    ].join('\n'),
  );
  return cmd;
}

export async function runMetrics(opts: MetricsCommandOptions, io: Io): Promise<void> {
  const format = choice<OutputFormat>('--format', opts.format ?? 'text', ['text', 'json'])!;
  const options = metricOptions(opts);
  const overrides = snapshotOverrides(opts);
  const emit = { format, ...(opts.out !== undefined ? { out: opts.out } : {}) };
  if (opts.input !== undefined && opts.source !== undefined) throw new CliError('give either --input <file> or --source jira, not both');
  if (opts.outcomes !== undefined && opts.input === undefined) throw new CliError('--outcomes goes with --input <snapshot file>; with --source, the outcomes kept for the board or team are read (agile-kpi outcomes import)');
  if (opts.input !== undefined) {
    const snapshot = readSnapshot(opts.input, overrides);
    emitReport(computeMetrics(snapshot, options, opts.outcomes === undefined ? undefined : readOutcomesFile(opts.outcomes)), emit, io);
    return;
  }
  if (opts.source === undefined) throw new CliError('say where the data comes from: --input <snapshot file> or --source jira --board <id>');
  const tracker = trackerOf(opts.source);
  const team = tracker.connect(opts, io.env);
  const { scope, close } = await openTeamScope(team.storePath, team.defaultStore, team.key);
  try {
    if (!opts.offline) await exclusively(scope, () => team.sync(scope, io, opts.full === true));
    const snapshot = await team.snapshot(scope, tracker.teamOptions(opts, overrides), overrides);
    emitReport(metricsWithOutcomes(snapshot, await outcomeView(scope), options, team.label), emit, io);
  } finally {
    await close();
  }
}
