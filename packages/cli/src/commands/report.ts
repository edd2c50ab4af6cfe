import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { defaultStorePath, isPostgresUrl } from '@agile-kpi/store';
import { type BuiltReport, type TeamInput, browserHtml, buildReport, teamKey } from '@agile-kpi/report';
import { simulateOrganisation, simulateTeam } from '@agile-kpi/testkit';
import { CliError, fileError } from '../cli-error';
import type { Io } from '../io';
import { DEFAULT_SEED, addMetricOptions, metricOptions, seedOption, snapshotOverrides, wholeNumber, type RawMetricOptions } from '../metric-options';
import { type Envelope, deliver, mailMessage, parseAddresses, rawMessage, smtpSettings, smtpTransport, type MailTransport } from '../report/mail';
import { checkUrl, senderOf } from '../report/report-options';
import { ReportMemory } from '../report/report-memory';
import { type TeamSource, loadTeamReport } from '../report/team-sources';
import { type TeamStore, openTeamStore } from '../team-store';
import { type TrackerFlags, addTrackerOptions, trackerOf } from '../trackers';

/**
 * `agile-kpi report`: the health report for team leads, as an email — sent through SMTP (`--send`) or written as
 * files for a dry run (`--out`: report.eml, report.html with its charts, report.txt). Several teams make one
 * email with a roll-up. What was sent is remembered per team and audience in the store (SQLite or PostgreSQL),
 * so the next report shows each KPI's change since.
 */
export interface ReportCommandOptions extends RawMetricOptions, TrackerFlags {
  readonly demo?: boolean;
  readonly teams?: string;
  readonly input?: readonly string[];
  readonly to?: readonly string[];
  readonly send?: boolean;
  readonly out?: string;
  readonly smtp?: string;
  readonly from?: string;
  readonly dashboardUrl?: string;
  readonly charts?: boolean;
}

export function reportCommand(io: Io, deps: ReportDeps = {}): Command {
  const cmd = new Command('report')
    .summary('email a health report to team leads (or write it as files)')
    .description(
      'Build the health report of one team, or of several as one email with a roll-up: each KPI with its traffic ' +
        'light, figure, change since the last report sent to the same people, a sentence a lead would forward and ' +
        'links to the evidence; charts as inline images. --send delivers it through SMTP; --out writes ' +
        'report.eml, report.html (open it in a browser), report.txt and the charts for a dry run.',
    )
    .option('--demo', 'the simulated team(s), as `agile-kpi demo` shows them')
    .option('--teams <n>', 'with --demo: simulate this many teams (a roll-up; default 1)')
    .option('-i, --input <files...>', 'snapshot file(s); several make a roll-up (also comma-separated)')
    .option('--source <tracker>', 'read a tracker: jira (--board, several comma-separated) or azure-devops (--project, --team)')
    .option('--offline', 'with --source: use the local store as it is, without syncing first')
    .option('--to <addresses...>', 'recipients, comma-separated: lead@example.com,coach@example.com')
    .option('--send', 'send the report through SMTP (--smtp or $SMTP_URL)')
    .option('-o, --out <dir>', 'write report.eml, report.html, report.txt and the charts to <dir> instead of sending')
    .option('--smtp <url>', 'SMTP server: smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465 (TLS); default $SMTP_URL')
    .option('--from <address>', 'sender, e.g. "agile-kpi <kpi@example.com>" (default $SMTP_FROM, else the SMTP user if it is an address, else agile-kpi@localhost)')
    .option('--dashboard-url <url>', 'link every KPI to its view on this dashboard (e.g. the URL of `agile-kpi serve` or your Jira dashboard)')
    .addOption(new Option('--no-charts', 'leave the chart images out (a smaller email)'))
    .action((opts: ReportCommandOptions) => runReport(opts, io, deps));
  addMetricOptions(cmd, `seed of the release forecast (and of --demo's simulation; default ${DEFAULT_SEED})`);
  addTrackerOptions(cmd, { sync: true });
  cmd.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  $ agile-kpi report --demo --to lead@example.com --out out/             (a dry run: open out/report.html)',
      '  $ SMTP_URL=smtp://user:pass@mail.example.com:587 agile-kpi report --source jira --board 42 --to lead@example.com --send',
      '  $ agile-kpi report --input team-a.json,team-b.json --to head@example.com --send --smtp smtps://user:pass@mail.example.com',
      '  $ agile-kpi report --source azure-devops --project Fabrikam --team "Fabrikam Team" --to lead@example.com --send',
      '',
      'The change since the last report is per team and per set of recipients, kept in the store (--store,',
      '$AGILE_KPI_STORE or ~/.agile-kpi/store.sqlite; a SQLite file or postgres://user:pass@host:5432/db): only',
      '--send records it. To send on a schedule, see `agile-kpi schedule --help`.',
    ].join('\n'),
  );
  return cmd;
}

/** Seams for tests: the SMTP transport. */
export interface ReportDeps {
  readonly transport?: (settings: ReturnType<typeof smtpSettings>) => MailTransport;
}

export async function runReport(opts: ReportCommandOptions, io: Io, deps: ReportDeps = {}): Promise<void> {
  if (opts.send && opts.out !== undefined) throw new CliError('give either --send or --out <dir>, not both (a dry run writes the files instead of sending)');
  if (!opts.send && opts.out === undefined) throw new CliError('say what to do with the report: --send (through SMTP) or --out <dir> (write report.eml and report.html)');
  if (!opts.to || opts.to.length === 0) throw new CliError('--to is required: who gets the report, e.g. --to lead@example.com,coach@example.com');
  const to = parseAddresses('--to', opts.to);
  const smtp = opts.send ? smtpSettings(opts.smtp, io.env) : undefined;
  const from = senderOf(opts.from, io.env, smtp?.options.auth?.user);
  const dashboardUrl = checkUrl('--dashboard-url', opts.dashboardUrl);
  const metrics = metricOptions(opts);
  const overrides = snapshotOverrides(opts);
  const sources = teamSources(opts, io);
  const storePath = opts.store ?? defaultStorePath(io.env);
  let store: TeamStore | undefined;
  const openTheStore = async (): Promise<TeamStore> => (store ??= await openTeamStore(storePath, opts.store === undefined && io.env['AGILE_KPI_STORE'] === undefined));
  try {
    const reports = [];
    for (const source of sources) reports.push(await loadTeamReport(source, { io, metrics, overrides, offline: opts.offline === true, store: openTheStore }));
    // A dry run only reads what was sent; it creates no SQLite file just to find it empty (a PostgreSQL server is there).
    const memory = opts.send || store || isPostgresUrl(storePath) || existsSync(storePath) ? await ReportMemory.open(await openTheStore()) : undefined;
    const teams: TeamInput[] = [];
    for (const report of reports) {
      const previous = await memory?.previous(teamKey(report), to);
      teams.push({ report, ...(previous ? { previous } : {}), ...(dashboardUrl ? { dashboardUrl } : {}) });
    }
    const built = await buildReport(teams, { charts: opts.charts !== false });
    const envelope: Envelope = { from, to };
    const message = mailMessage(built, envelope);
    if (opts.out !== undefined) {
      const written = await writeDryRun(opts.out, built, await rawMessage(message));
      io.stdout.write(`${built.subject}\n`);
      io.stdout.write(`wrote ${written.join(', ')} (to: ${to.join(', ')}; open ${join(opts.out, 'report.html')} in a browser)\n`);
      return;
    }
    const transport = deps.transport ? deps.transport(smtp!) : smtpTransport(smtp!);
    const info = await deliver(transport, message, smtp!.label);
    await memory!.remember(built.summary, to);
    io.stdout.write(`sent "${built.subject}" to ${to.join(', ')} through ${smtp!.label}${info.messageId ? ` (${info.messageId})` : ''}\n`);
  } finally {
    await store?.close();
  }
}

/** The teams the flags name: --demo [--teams n], --input files, or --source with one or more boards. */
function teamSources(opts: ReportCommandOptions, io: Io): TeamSource[] {
  const given = [opts.demo ? '--demo' : '', opts.input?.length ? '--input' : '', opts.source !== undefined ? '--source' : ''].filter(Boolean);
  if (given.length > 1) throw new CliError(`give one of --demo, --input or --source, not ${given.join(' and ')}`);
  if (opts.teams !== undefined && !opts.demo) throw new CliError('--teams goes with --demo (for real teams, list --board ids or --input files)');
  if (opts.demo) {
    const n = wholeNumber('--teams', opts.teams, 1, 20) ?? 1;
    const seed = seedOption(opts.seed) ?? DEFAULT_SEED;
    const zone = snapshotOverrides(opts).timeZone;
    if (n === 1) return [{ kind: 'demo', team: simulateTeam({ seed, ...(zone ? { timeZone: zone } : {}) }) }];
    return simulateOrganisation({ seed, teams: n, itemsPerSprint: 10 }).map((team) => ({ kind: 'demo' as const, team }));
  }
  if (opts.input?.length) {
    return opts.input
      .flatMap((f) => f.split(','))
      .map((f) => f.trim())
      .filter(Boolean)
      .map((path) => ({ kind: 'file' as const, path }));
  }
  if (opts.source === undefined) throw new CliError('say which teams: --demo, --input <snapshot files> or --source jira --board <id>');
  const overrides = snapshotOverrides(opts);
  const tracker = trackerOf(opts.source);
  const teams = tracker.connectEach(opts, io.env);
  const options = tracker.teamOptions(opts, overrides);
  return teams.map((team) => ({ kind: 'tracker' as const, team, options }));
}

/** The dry run's files; returns what was written, for the note. */
async function writeDryRun(dir: string, built: BuiltReport, eml: Buffer): Promise<string[]> {
  const write = (name: string, data: string | Buffer) => {
    const path = join(dir, name);
    try {
      writeFileSync(path, data);
    } catch (err) {
      throw fileError('write', path, err);
    }
    return path;
  };
  try {
    mkdirSync(dir, { recursive: true });
  } catch (err) {
    throw fileError('write', dir, err);
  }
  const out = [write('report.eml', eml), write('report.html', browserHtml(built.html, built.images, 'files')), write('report.txt', built.text)];
  for (const img of built.images) write(img.filename, img.png);
  if (built.images.length) out.push(`${built.images.length} chart${built.images.length === 1 ? '' : 's'} (${built.images.map((i) => i.filename).join(', ')})`);
  return out;
}
