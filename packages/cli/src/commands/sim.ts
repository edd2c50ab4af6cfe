import { Command } from 'commander';
import { simulateTeam, startSimulatedJira, type SimulatedTeam } from '@agile-kpi/testkit';
import { CliError } from '../cli-error';
import type { Io } from '../io';
import { DEFAULT_SEED, seedOption, wholeNumber } from '../metric-options';

/**
 * `agile-kpi sim jira`: a simulated Jira Cloud on 127.0.0.1, serving seeded teams in Jira's real wire format,
 * so a newcomer can try sync, metrics and verify end to end without a Jira.
 */
interface SimOptions {
  readonly port?: string;
  readonly seed?: string;
  readonly teams?: string;
  readonly sprints?: string;
}

export function simCommand(io: Io, until: () => Promise<void> = waitForSignal): Command {
  const cmd = new Command('sim')
    .summary('start a simulated tracker on this machine')
    .description(
      'Start a simulated Jira Cloud on 127.0.0.1 that serves seeded simulated teams (one project and one scrum board ' +
        'each) exactly as Jira\'s REST APIs do: paging, changelogs, rate-limit headers, the velocity chart. It prints ' +
        'the URL, e-mail and API token to use, and runs until you stop it (Ctrl-C).',
    )
    .argument('<tracker>', 'the tracker to simulate: jira')
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
    ].join('\n'),
  );
  return cmd;
}

export async function runSim(tracker: string, opts: SimOptions, io: Io, until: () => Promise<void>): Promise<void> {
  if (tracker !== 'jira') throw new CliError(`agile-kpi sim can simulate jira (Azure DevOps is coming), got '${tracker}'`);
  const port = wholeNumber('--port', opts.port, 0, 65535) ?? 0;
  const seed = seedOption(opts.seed) ?? DEFAULT_SEED;
  const count = wholeNumber('--teams', opts.teams, 1, 50) ?? 1;
  const sprints = wholeNumber('--sprints', opts.sprints, 2, 100);
  const teams: SimulatedTeam[] = Array.from({ length: count }, (_, i) =>
    simulateTeam({ seed: seed + i, teamIndex: i, teamKey: count === 1 ? 'SIM' : `T${String(i + 1).padStart(2, '0')}`, ...(sprints ? { sprints } : {}) }),
  );
  let jira;
  try {
    jira = await startSimulatedJira({ teams, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} on 127.0.0.1 is in use: pick another with --port, or leave it out for any free port`);
    throw err;
  }
  io.stdout.write(
    [
      `Simulated Jira Cloud running at ${jira.url} (seed ${seed}, ${count} team${count > 1 ? 's' : ''})`,
      '',
      `  export JIRA_URL=${jira.url}`,
      `  export JIRA_EMAIL=${jira.email}`,
      `  export JIRA_API_TOKEN=${jira.apiToken}`,
      '',
      `  boards: ${jira.boards.map((b) => `${b.id} (${b.projectKey})`).join(', ')}`,
      `  try:    agile-kpi metrics --source jira --board ${jira.boards[0]!.id} --store ./sim-store.sqlite`,
      '',
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  try {
    await until();
  } finally {
    await jira.close();
    io.stderr.write(`stopped the simulated Jira (${jira.requests.count()} requests served)\n`);
  }
}

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
