import { Command } from 'commander';
import { computeMetrics } from '@agile-kpi/core';
import { emitReport, type OutputFormat } from '../emit-report';
import type { Io } from '../io';
import { addMetricOptions, choice, metricOptions, snapshotOverrides, type RawMetricOptions } from '../metric-options';
import { readSnapshot } from '../read-snapshot';
import { lightsHelp } from './lights-help';

/** `agile-kpi metrics`: every KPI from a snapshot file of the neutral model (from an adapter or by hand). */

export interface MetricsCommandOptions extends RawMetricOptions {
  readonly input: string;
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
    .requiredOption('-i, --input <file>', 'snapshot file (JSON), e.g. one written by `agile-kpi demo --write-snapshot`')
    .option('-f, --format <format>', 'text (a summary) or json (the whole report, evidence included)', 'text')
    .option('-o, --out <dir>', 'also write <dir>/metrics.json')
    .action((opts: MetricsCommandOptions) => runMetrics(opts, io));
  addMetricOptions(cmd, 'seed of the release forecast\'s random source (default 42): same seed, same dates');
  cmd.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  $ agile-kpi metrics --input team.json',
      '  $ agile-kpi metrics --input team.json --format json > metrics.json',
      '  $ agile-kpi metrics --input team.json --as-of 2025-03-01T12:00:00Z --time-zone Europe/Berlin --velocity-sprints 5',
      '',
      ...lightsHelp(),
    ].join('\n'),
  );
  return cmd;
}

export function runMetrics(opts: MetricsCommandOptions, io: Io): void {
  const format = choice<OutputFormat>('--format', opts.format ?? 'text', ['text', 'json'])!;
  const options = metricOptions(opts);
  const snapshot = readSnapshot(opts.input, snapshotOverrides(opts));
  emitReport(computeMetrics(snapshot, options), { format, ...(opts.out !== undefined ? { out: opts.out } : {}) }, io);
}
