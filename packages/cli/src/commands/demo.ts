import { Command } from 'commander';
import { computeMetrics } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { emitReport, writeText, type OutputFormat } from '../emit-report';
import type { Io } from '../io';
import {
  DEFAULT_SEED,
  addMetricOptions,
  choice,
  metricOptions,
  seedOption,
  snapshotOverrides,
  wholeNumber,
  type RawMetricOptions,
} from '../metric-options';
import { checkSnapshot } from '../read-snapshot';
import { lightsHelp } from './lights-help';

/**
 * `agile-kpi demo`: a seeded simulated team through the same path as a real snapshot file (check, compute,
 * print), so a new user sees every KPI in one command and the output doubles as a smoke test of the whole chain.
 */

export interface DemoCommandOptions extends RawMetricOptions {
  readonly sprints?: string;
  readonly itemsPerSprint?: string;
  readonly format?: string;
  readonly out?: string;
  readonly writeSnapshot?: string;
}

/** Where the simulated data comes from, for error messages ("simulated team (seed 42): ..."). */
const SOURCE = 'simulated team';

export function demoCommand(io: Io): Command {
  const cmd = new Command('demo')
    .summary('simulate a team and show its KPIs')
    .description(
      'Simulate one Scrum team with the seeded simulator (same seed, same team), then compute and print every KPI: ' +
        'a line per KPI with a traffic light, then velocity per sprint, sprint goals, open impediments, the active ' +
        'sprint\'s burndown, backlog health and releases. --write-snapshot saves the simulated data as a snapshot ' +
        'file, the format `agile-kpi metrics --input` reads.',
    )
    .option('--sprints <n>', 'sprints to simulate; the last one is active (default 12)')
    .option('--items-per-sprint <n>', 'roughly how many items the team plans per sprint (default 10)')
    .option('-f, --format <format>', 'text (a summary) or json (the whole report, evidence included)', 'text')
    .option('-o, --out <dir>', 'also write <dir>/metrics.json')
    .option('--write-snapshot <file>', 'write the simulated data as a snapshot file (input for `agile-kpi metrics`)')
    .action((opts: DemoCommandOptions) => runDemo(opts, io));
  addMetricOptions(cmd, `seed of the simulation and of the release forecast (default ${DEFAULT_SEED})`);
  cmd.addHelpText(
    'after',
    [
      '',
      '--time-zone simulates the team in that zone (default Europe/Berlin, whose sprints cross both DST changes).',
      '',
      'Examples:',
      '  $ agile-kpi demo',
      '  $ agile-kpi demo --seed 7 --sprints 8 --format json > demo.json',
      '  $ agile-kpi demo --write-snapshot team.json && agile-kpi metrics --input team.json',
      '',
      ...lightsHelp(),
    ].join('\n'),
  );
  return cmd;
}

export function runDemo(opts: DemoCommandOptions, io: Io): void {
  const format = choice<OutputFormat>('--format', opts.format ?? 'text', ['text', 'json'])!;
  const seed = seedOption(opts.seed) ?? DEFAULT_SEED;
  const sprints = wholeNumber('--sprints', opts.sprints, 1, 100);
  const itemsPerSprint = wholeNumber('--items-per-sprint', opts.itemsPerSprint, 3, 200);
  const options = metricOptions({ ...opts, seed: String(seed) });
  const { asOf, timeZone } = snapshotOverrides(opts);
  const simulated = simulate({ seed, sprints, itemsPerSprint, timeZone });
  const snapshot = checkSnapshot(simulated, `${SOURCE} (seed ${seed})`, asOf !== undefined ? { asOf } : {});
  const notes: string[] = [];
  if (opts.writeSnapshot !== undefined) {
    notes.push(`wrote ${writeText(opts.writeSnapshot, `${JSON.stringify(snapshot, null, 2)}\n`)} (read it back with: agile-kpi metrics --input ${opts.writeSnapshot})`);
  }
  emitReport(computeMetrics(snapshot, options), { format, ...(opts.out !== undefined ? { out: opts.out } : {}) }, io, notes);
}

/** Options are checked above, so the simulator's own RangeErrors would be bugs, not usage errors. */
function simulate(options: { seed: number; sprints?: number; itemsPerSprint?: number; timeZone?: string }): unknown {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return simulateTeam(defined).snapshot;
}
