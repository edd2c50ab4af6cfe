import { Command } from 'commander';
import { computeMetrics, parseInstant } from '@agile-kpi/core';
import { JiraClient, jiraJsTransport, loadJiraBoard, mapJiraBoard, syncJiraBoard } from '@agile-kpi/jira';
import { openStore } from '@agile-kpi/store';
import { snapshotAt, startSimulatedJira, type SimulatedTeam } from '@agile-kpi/testkit';
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
import { demoOutcomes, simulateDemoTeam } from '../outcomes/demo-outcomes';
import { bindTeamOutcomes } from '../outcomes/scope-outcomes';
import { checkSnapshot } from '../read-snapshot';
import { lightsHelp } from './lights-help';

/**
 * `agile-kpi demo`: a seeded simulated team served by a simulated Jira Cloud on loopback, read through the real
 * Jira adapter (jira.js, sync into a throw-away store, mapping) and then the same path as any snapshot (check,
 * compute, print): a new user sees every KPI in one command, and the output is a smoke test of the whole chain.
 */

export interface DemoCommandOptions extends RawMetricOptions {
  readonly sprints?: string;
  readonly itemsPerSprint?: string;
  readonly format?: string;
  readonly out?: string;
  readonly writeSnapshot?: string;
}

/** Where the simulated data comes from, for error messages ("simulated Jira (seed 42): ..."). */
const SOURCE = 'simulated Jira';
/**
 * Links in the demo's evidence point here: the simulated Jira only lives while the demo runs, and its port
 * changes from run to run, which would make the output differ between identical runs.
 */
export const DEMO_SITE = 'https://simulated-jira.agile-kpi.invalid';

export function demoCommand(io: Io): Command {
  const cmd = new Command('demo')
    .summary('simulate a team and show its KPIs')
    .description(
      'Simulate one Scrum team with the seeded simulator (same seed, same team), then compute and print every KPI: ' +
        'a line per KPI with a traffic light, then velocity per sprint, sprint goals, open impediments, the active ' +
        'sprint\'s burndown, backlog health, releases and customer outcomes (simulated surveys, feature usage and ' +
        'benefits). --write-snapshot saves the simulated data as a snapshot file, the format `agile-kpi metrics ' +
        '--input` reads, and its customer outcomes beside it (FILE.outcomes.json, for `--outcomes`).',
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

export async function runDemo(opts: DemoCommandOptions, io: Io): Promise<void> {
  const format = choice<OutputFormat>('--format', opts.format ?? 'text', ['text', 'json'])!;
  const seed = seedOption(opts.seed) ?? DEFAULT_SEED;
  const sprints = wholeNumber('--sprints', opts.sprints, 1, 100);
  const itemsPerSprint = wholeNumber('--items-per-sprint', opts.itemsPerSprint, 3, 200);
  const options = metricOptions({ ...opts, seed: String(seed) });
  const { asOf, timeZone } = snapshotOverrides(opts);
  const team = simulate({ seed, sprints, itemsPerSprint, timeZone });
  const snapshot = checkSnapshot(await throughJira(team), `${SOURCE} (seed ${seed})`, asOf !== undefined ? { asOf } : {});
  const bound = bindTeamOutcomes(snapshot, demoOutcomes(team), `${SOURCE} (seed ${seed})`);
  const notes: string[] = [];
  if (opts.writeSnapshot !== undefined) {
    const outcomesFile = opts.writeSnapshot.replace(/(\.json)?$/i, '.outcomes.json');
    notes.push(`wrote ${writeText(opts.writeSnapshot, `${JSON.stringify(snapshot, null, 2)}\n`)} and ${writeText(outcomesFile, `${JSON.stringify(bound.outcomes, null, 2)}\n`)} (read them back with: agile-kpi metrics --input ${opts.writeSnapshot} --outcomes ${outcomesFile})`);
  }
  emitReport(computeMetrics(bound.snapshot, options, bound.outcomes), { format, ...(opts.out !== undefined ? { out: opts.out } : {}) }, io, notes);
}

/** Options are checked above, so the simulator's own RangeErrors would be bugs, not usage errors. */
function simulate(options: { seed: number; sprints?: number; itemsPerSprint?: number; timeZone?: string }): SimulatedTeam {
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return simulateDemoTeam(defined);
}

/**
 * The simulated team as a Jira user would get it: served by the simulated Jira, synced with the real client,
 * mapped by the adapter. Jira keeps no history of release dates, so the demo replays what a team that runs
 * agile-kpi gets: a sync at every sprint start (the simulated Jira serving the site as it was then, its clock
 * set to then), then one at asOf; each sync snapshots the release dates, so slips show. The sprint goal
 * verdicts the simulated Scrum Master recorded live in agile-kpi's store (Jira has no place for them), so they
 * are recorded there, as the app would.
 */
export async function throughJira(team: SimulatedTeam): Promise<unknown> {
  const asOf = parseInstant(team.snapshot.asOf);
  const syncs = [...new Set([...team.snapshot.sprints.map((s) => (s.startAt ? parseInstant(s.startAt) : NaN)), asOf])]
    .filter((t) => Number.isFinite(t) && t <= asOf)
    .sort((a, b) => a - b);
  const jira = await startSimulatedJira({ teams: [snapshotAt(team, syncs[0]!)] });
  const store = openStore(':memory:');
  try {
    const scope = store.scope({ source: 'jira', site: DEMO_SITE, scope: String(jira.boards[0]!.id) });
    const client = new JiraClient(jiraJsTransport({ site: jira.url, email: jira.email, apiToken: jira.apiToken }));
    for (const t of syncs) {
      jira.serve([snapshotAt(team, t)], { now: t });
      await syncJiraBoard(client, scope, { boardId: jira.boards[0]!.id });
    }
    for (const sprint of team.snapshot.sprints) {
      if (sprint.verdict) scope.setVerdict(`jira:sprint:${jira.site.idMap.sprints[sprint.id]}`, sprint.verdict);
    }
    const data = await loadJiraBoard(scope, DEMO_SITE);
    return mapJiraBoard(data!, { asOf: team.snapshot.asOf, blockedStatuses: team.snapshot.team.blockedStatuses, teamName: team.snapshot.team.name });
  } finally {
    store.close();
    await jira.close();
  }
}
