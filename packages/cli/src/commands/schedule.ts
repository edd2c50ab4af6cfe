import { Command } from 'commander';
import { localDateTime } from '@agile-kpi/presentation';
import { CliError, QuietExit } from '../cli-error';
import type { Io } from '../io';
import { type Clock, systemClock } from '../report/clock';
import { type MailTransport, type SmtpSettings, redact, smtpTransport } from '../report/mail';
import { type ScheduleConfig, loadScheduleConfig } from '../report/schedule-config';
import { Scheduler, type SchedulerDeps, cadenceCron, describeCadence } from '../report/scheduler';
import { describeSource } from '../report/team-sources';
import { openTeamStore } from '../team-store';

/**
 * `agile-kpi schedule --config schedules.yml`: sends the health reports the file lists, when it says, until
 * Ctrl-C; `--once` sends what is due now and exits (for cron, an Azure Pipelines or a GitHub Actions schedule).
 */
export interface ScheduleCommandOptions {
  readonly config?: string;
  readonly once?: boolean;
  readonly check?: boolean;
  readonly store?: string;
}

/** Seams for tests: time, the SMTP transport, the stop signal, how teams are read. */
export interface ScheduleDeps {
  readonly clock?: Clock;
  readonly transport?: (smtp: SmtpSettings) => MailTransport;
  readonly signal?: AbortSignal;
  readonly load?: SchedulerDeps['load'];
}

export function scheduleCommand(io: Io, deps: ScheduleDeps = {}): Command {
  return new Command('schedule')
    .summary('send health reports on a schedule (cron, or the morning after each sprint closes)')
    .description(
      'Run the schedules in a YAML file: each entry names a source, teams, recipients and a cadence (a cron ' +
        'expression in a time zone, or the morning after each sprint closes). The file is checked on start. A failed ' +
        'send is logged and retried with back-off while the other entries go on; a period is never sent twice ' +
        '(remembered in the store, SQLite or PostgreSQL, so restarts are safe). Runs until Ctrl-C, or with --once sends what is due ' +
        'and exits.',
    )
    .option('-c, --config <file>', 'the schedules file (YAML), e.g. schedules.yml')
    .option('--once', 'send what is due now (and retry it), then exit: for cron and CI schedules')
    .option('--check', 'check the file, print each entry and its next run, and exit')
    .option('--store <file|url>', 'the store: a SQLite file or postgres://user:pass@host:5432/db (default: store: in the file, $AGILE_KPI_STORE or ~/.agile-kpi/store.sqlite)')
    .addHelpText(
      'after',
      [
        '',
        'schedules.yml:',
        '  from: agile-kpi <kpi@example.com>        # SMTP: $SMTP_URL (or smtp: smtp://user:pass@host:587)',
        '  entries:',
        '    - name: platform-weekly',
        '      source: jira                        # jira | azure-devops | file | demo',
        '      teams: [42, 43]                     # board ids; "Project/Team"; snapshot files; seeds',
        '      recipients: [lead@example.com, coach@example.com]',
        '      cadence: { cron: "0 8 * * MON", timezone: Europe/Berlin }',
        '    - name: platform-sprint',
        '      source: azure-devops',
        '      teams: ["Fabrikam/Fabrikam Team"]',
        '      recipients: lead@example.com',
        '      cadence: { after-sprint-close: { at: "09:00", timezone: Europe/Berlin } }',
        '',
        'Examples:',
        '  $ agile-kpi schedule --config schedules.yml --check',
        '  $ agile-kpi schedule --config schedules.yml              (runs until Ctrl-C)',
        '  $ agile-kpi schedule --config schedules.yml --once       (from cron: 0 * * * *)',
        '',
        'Exit codes with --once: 0 sent or nothing due, 3 a report could not be sent after its retries. Recipes: docs/reports.md.',
      ].join('\n'),
    )
    .action((opts: ScheduleCommandOptions) => runSchedule(opts, io, deps));
}

export async function runSchedule(opts: ScheduleCommandOptions, io: Io, deps: ScheduleDeps = {}): Promise<void> {
  if (!opts.config) throw new CliError('--config is required: the schedules file, e.g. --config schedules.yml (see agile-kpi schedule --help)');
  const config = loadScheduleConfig(opts.config, io, opts.store !== undefined ? { store: opts.store } : {});
  const clock = deps.clock ?? systemClock;
  if (opts.check) {
    printCheck(config, opts.config, clock, io);
    return;
  }
  const store = await openTeamStore(config.storePath, config.defaultStore);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  if (!deps.signal) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  deps.signal?.addEventListener('abort', onSignal, { once: true });
  try {
    const transport = deps.transport ? deps.transport(config.smtp) : smtpTransport(config.smtp);
    const scheduler = new Scheduler(config, {
      clock,
      transport,
      store,
      io,
      log: (line, level) => (level === 'error' ? io.stderr : io.stdout).write(`${line}\n`),
      ...(deps.load ? { load: deps.load } : {}),
    });
    if (!opts.once) io.stdout.write(`agile-kpi schedule: ${config.entries.length} entr${config.entries.length === 1 ? 'y' : 'ies'} from ${opts.config}, mail through ${config.smtp.label}; Ctrl-C stops\n`);
    const summary = await scheduler.run({ signal: stop.signal, once: opts.once === true });
    if (opts.once) {
      if (summary.sent === 0 && summary.gaveUp === 0) io.stdout.write('nothing due: every report of this period was sent already\n');
      if (summary.gaveUp > 0) throw new QuietExit(3);
    } else io.stdout.write(`agile-kpi schedule: stopped (${summary.sent} sent, ${summary.failed} failed tries)\n`);
  } finally {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    await store.close();
  }
}

function printCheck(config: ScheduleConfig, path: string, clock: Clock, io: Io): void {
  io.stdout.write(`${path}: ${config.entries.length} entr${config.entries.length === 1 ? 'y' : 'ies'}, mail from ${config.from} through ${config.smtp.label}, store ${redact(config.storePath)}\n`);
  for (const e of config.entries) {
    const next = nextRun(e.cadence, clock.now());
    io.stdout.write(
      `  ${e.name}: ${e.sources.map(describeSource).join(', ')} -> ${e.recipients.join(', ')}; ${describeCadence(e.cadence)}; next ${next ? `${localDateTime(next, e.cadence.timezone)} ${e.cadence.timezone}` : 'never'}\n`,
    );
  }
}

function nextRun(c: ScheduleConfig['entries'][number]['cadence'], now: number): string | undefined {
  return cadenceCron(c).nextRun(new Date(now))?.toISOString();
}
