import { Command } from 'commander';
import { simulateOutcomes, simulateTeam, startSimulatedAzureDevOps, startSimulatedJira, type SimulatedTeam } from '@agile-kpi/testkit';
import { CliError } from '../cli-error';
import { type Io, waitForSignal } from '../io';
import { DEFAULT_SEED, seedOption, wholeNumber } from '../metric-options';
import { TRACKERS, findTracker } from '../trackers';

/**
 * `agile-kpi sim jira`: a simulated Jira Cloud on 127.0.0.1, serving seeded teams in Jira's real wire format,
 * so a newcomer can try sync, metrics and verify end to end without a Jira.
 */
interface SimOptions {
  readonly port?: string;
  readonly process?: string;
  readonly seed?: string;
  readonly teams?: string;
  readonly sprints?: string;
}

export function simCommand(io: Io, until: () => Promise<void> = waitForSignal): Command {
  const cmd = new Command('sim')
    .summary('start a simulated tracker on this machine')
    .description(
      'Start a simulated Jira Cloud or Azure DevOps organisation on 127.0.0.1 that serves seeded simulated teams ' +
        'exactly as the real REST APIs do (paging, changelogs or revisions, throttling headers; Jira\'s velocity chart). ' +
        'It prints the settings to use, and runs until you stop it (Ctrl-C).',
    )
    .argument('<tracker>', 'the tracker to simulate: jira or azure-devops')
    .option('--process <name>', 'azure-devops: the process template, scrum or agile (default scrum)')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free port)')
    .option('--seed <n>', `seed of the simulated teams (default ${DEFAULT_SEED})`)
    .option('--teams <n>', 'how many teams (boards) to serve (default 1)')
    .option('--sprints <n>', 'sprints per team; the last one is active (default 12)')
    .action((tracker: string, opts: SimOptions) => runSim(tracker, opts, io, until));
  cmd.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  $ agile-kpi sim jira --port 8080',
      '  # in another terminal, with the variables it prints:',
      '  $ agile-kpi metrics --source jira --board 1',
      '  $ agile-kpi verify --board 1',
      '  $ agile-kpi sim azure-devops --process agile',
    ].join('\n'),
  );
  return cmd;
}

export async function runSim(tracker: string, opts: SimOptions, io: Io, until: () => Promise<void>): Promise<void> {
  const simulated = findTracker(tracker);
  if (!simulated) throw new CliError(`agile-kpi sim simulates ${TRACKERS.map((t) => t.id).join(' or ')}, got '${tracker}'`);
  const port = wholeNumber('--port', opts.port, 0, 65535) ?? 0;
  const seed = seedOption(opts.seed) ?? DEFAULT_SEED;
  const count = wholeNumber('--teams', opts.teams, 1, 50) ?? 1;
  const sprints = wholeNumber('--sprints', opts.sprints, 2, 100);
  const process = opts.process ?? 'scrum';
  if (process !== 'scrum' && process !== 'agile') throw new CliError(`--process must be scrum or agile, got '${process}'`);
  // Azure DevOps iterations are dates: simulate teams whose sprints run Monday to Sunday.
  const calendar = tracker === 'azure-devops' ? ({ sprintCalendar: 'dates' } as const) : {};
  const teams: SimulatedTeam[] = Array.from({ length: count }, (_, i) =>
    simulateTeam({ seed: seed + i, teamIndex: i, teamKey: count === 1 ? 'SIM' : `T${String(i + 1).padStart(2, '0')}`, ...(sprints ? { sprints } : {}), ...calendar }),
  );
  let server: { close(): Promise<void>; requests: { count(): number } };
  let lines: string[];
  try {
    if (tracker === 'jira') {
      // A Jira Service Management project beside the boards: 5 requests rated a week, 65 % of them 4 or 5.
      const survey = { perWeek: 5, baseline: [0.05, 0.1, 0.2, 0.35, 0.3] };
      const ratings = simulateOutcomes(teams[0]!, { seed, csat: survey }).records.flatMap((r) => (r.kind === 'csat' && r.at ? [{ rating: r.score, ratedAt: r.at }] : []));
      const jira = await startSimulatedJira({ teams, port, serviceProjects: [{ key: 'SUP', name: 'Support', requests: ratings }] });
      server = jira;
      lines = [
        `Simulated Jira Cloud running at ${jira.url} (seed ${seed}, ${count} team${count > 1 ? 's' : ''})`,
        '',
        `  export JIRA_URL=${jira.url}`,
        `  export JIRA_EMAIL=${jira.email}`,
        `  export JIRA_API_TOKEN=${jira.apiToken}`,
        '',
        `  boards: ${jira.boards.map((b) => `${b.id} (${b.projectKey})`).join(', ')}`,
        `  try:    agile-kpi metrics --source jira --board ${jira.boards[0]!.id} --store ./sim-store.sqlite`,
        `  service project SUP (${ratings.length} rated requests): agile-kpi sync --board ${jira.boards[0]!.id} --service-projects SUP --store ./sim-store.sqlite`,
      ];
    } else {
      const ado = await startSimulatedAzureDevOps({ teams, port, process });
      server = ado;
      const first = ado.projects[0]!;
      const zone = teams[0]!.snapshot.team.timeZone;
      lines = [
        `Simulated Azure DevOps running at ${ado.url} (${process} process, seed ${seed}, ${count} team${count > 1 ? 's' : ''})`,
        '',
        `  export AZURE_DEVOPS_ORG_URL=${ado.url}`,
        `  export AZURE_DEVOPS_PAT=${ado.pat}`,
        '',
        `  teams:  ${ado.projects.map((p) => `${p.name}/${p.team}`).join(', ')}`,
        `  try:    agile-kpi metrics --source azure-devops --project ${first.name} --team "${first.team}" --time-zone ${zone} --store ./sim-store.sqlite`,
      ];
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} on 127.0.0.1 is in use: pick another with --port, or leave it out for any free port`);
    throw err;
  }
  io.stdout.write([...lines, '', 'Press Ctrl-C to stop.', ''].join('\n'));
  try {
    await until();
  } finally {
    await server.close();
    io.stderr.write(`stopped the simulated ${simulated.label} (${server.requests.count()} requests served)\n`);
  }
}
