import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { classifyError, formatError } from './cli-error';
import { processIo, wantsColor, type Io } from './io';

export type { Io, TextSink } from './io';

/**
 * The `agile-kpi` command. `main` never throws and never calls `process.exit`: it returns the exit code, and
 * all output goes through the injected {@link Io}, so tests run it in-process with captured output and the
 * launcher (bin/agile-kpi.js) only sets `process.exitCode`.
 *
 * @example await main(['demo', '--format', 'json'], io) // 0, with the report on io.stdout
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let program: Command | undefined;
  try {
    program = buildProgram(io, argv[0]);
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    const classified = classifyError(err);
    io.stderr.write(formatError(err, classified, io.env['AGILE_KPI_DEBUG'] === '1'));
    return classified.exitCode;
  }
}

/**
 * The commands, each loaded when it is built: a command's module loads what its action needs (the report
 * command a mail and HTML stack, the demo a simulator), and a run should load only its own command's.
 */
const COMMANDS: Readonly<Record<string, (io: Io) => Command>> = {
  demo: (io) => (require('./commands/demo') as typeof import('./commands/demo')).demoCommand(io),
  metrics: (io) => (require('./commands/metrics') as typeof import('./commands/metrics')).metricsCommand(io),
  sync: (io) => (require('./commands/sync') as typeof import('./commands/sync')).syncCommand(io),
  verify: (io) => (require('./commands/verify') as typeof import('./commands/verify')).verifyCommand(io),
  sim: (io) => (require('./commands/sim') as typeof import('./commands/sim')).simCommand(io),
  serve: (io) => (require('./commands/serve') as typeof import('./commands/serve')).serveCommand(io),
  report: (io) => (require('./commands/report') as typeof import('./commands/report')).reportCommand(io),
  schedule: (io) => (require('./commands/schedule') as typeof import('./commands/schedule')).scheduleCommand(io),
  schema: (io) => (require('./commands/schema') as typeof import('./commands/schema')).schemaCommand(io),
  mcp: (io) => (require('./commands/mcp') as typeof import('./commands/mcp')).mcpCommand(io),
  outcomes: (io) => (require('./commands/outcomes') as typeof import('./commands/outcomes')).outcomesCommand(io),
};

/**
 * A fresh program per call: commander keeps parsed state on the instance. With `only` (the first argument of
 * the command line) naming a command, that command alone is built, which is all its run needs; anything else
 * (no command, --help, --version, a mistyped command) gets every command.
 */
export function buildProgram(io: Io, only?: string): Command {
  const program = new Command('agile-kpi')
    .description(
      'Agile KPIs reconstructed from work-item history: velocity, sprint goal rate, impediment resolution time, ' +
        'sprint progress, backlog health, release predictability and flow, each with the evidence behind it.',
    )
    .version(version(), '-V, --version', 'print the version')
    .helpCommand(false)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ agile-kpi demo                                   a simulated team\'s KPIs',
        '  $ agile-kpi metrics --input team.json --format json',
        '  $ agile-kpi report --demo --to lead@example.com --out out/   a health report email, as files',
        '  $ agile-kpi outcomes import survey.csv --kind csat --board 42   customer outcomes beside delivery',
        '  $ agile-kpi schema > snapshot.schema.json',
        '',
        'Exit codes: 0 ok, 2 bad input, options or credentials, 3 the tracker failed or was unreachable, 1 internal error (AGILE_KPI_DEBUG=1 shows the stack trace).',
      ].join('\n'),
    );
  configure(program, io, 'agile-kpi --help');
  const names = only !== undefined && Object.hasOwn(COMMANDS, only) ? [only] : Object.keys(COMMANDS);
  for (const cmd of names.map((name) => COMMANDS[name]!(io))) {
    configure(cmd, io, `agile-kpi ${cmd.name()} --help`);
    // Subcommands (`outcomes import`) are built before this: they get the same error handling here.
    for (const sub of cmd.commands) configure(sub, io, `agile-kpi ${cmd.name()} ${sub.name()} --help`);
    program.addCommand(cmd);
  }
  return program;
}

/**
 * Commander's parse errors become our one-line form ("agile-kpi: unknown option '--frobnicate' (see agile-kpi demo
 * --help)") and end in a CommanderError instead of process.exit, which `main` turns into exit code 2.
 */
function configure(cmd: Command, io: Io, helpHint: string): void {
  cmd
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      outputError: (s, write) => {
        const line = s.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').trim();
        write(`agile-kpi: ${line} (see ${helpHint})\n`);
      },
      getOutHelpWidth: () => 100,
      getErrHelpWidth: () => 100,
      getOutHasColors: () => wantsColor(io),
      getErrHasColors: () => false,
    });
}

/** The package's version, read at run time: package.json sits beside both src/ and dist/. */
function version(): string {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
