import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Command, Option } from 'commander';
import { OUTCOME_KINDS, type OutcomeKind, type OutcomeRecord } from '@agile-kpi/core';
import { importSummary, outcomeFileOf as fileOf } from '@agile-kpi/hosted-service';
import { isPostgresUrl } from '@agile-kpi/store';
import type { RawAdoOptions } from '../ado-source';
import { CliError, fileError } from '../cli-error';
import type { Io } from '../io';
import type { RawJiraOptions } from '../jira-source';
import { choice } from '../metric-options';
import { problemLines, readOutcomeFile } from '../outcomes/outcome-file';
import { changeOutcomeSettings, costPerSprint, describeOutcomeSettings, featureLink, OUTCOME_SETTINGS_STATE } from '../outcomes/outcome-settings';
import { putTeamOutcomesIn, readTeamOutcomes } from '../outcomes/scope-outcomes';
import { type TeamScope, openTeamStore, outcomeView } from '../team-store';
import { trackerOf } from '../trackers';

/**
 * `agile-kpi outcomes`: the customer outcome data a team keeps beside its tracker data in the local store — survey
 * responses (CSAT, NPS), product-analytics usage, benefits — and its outcome settings (cost per sprint, which
 * epic or release ships which feature). `metrics`, `report`, `schedule`, `serve` and `mcp` read them for the team.
 */
type ScopeOptions = Pick<RawJiraOptions, 'source' | 'board' | 'site' | 'store'> & Pick<RawAdoOptions, 'org' | 'project' | 'team'>;

interface ImportOptions extends ScopeOptions {
  readonly kind?: string;
}

interface RemoveOptions extends ScopeOptions {
  readonly kind?: string;
  readonly file?: string;
  readonly all?: boolean;
}

interface SettingsOptions extends ScopeOptions {
  readonly costPerSprint?: string;
  readonly feature?: readonly string[];
  readonly removeFeature?: readonly string[];
}

const KIND_HELP = 'csat (date, score 1-5), nps (date, score 0-10), usage (date, feature, users, active users) or benefit (date, amount, currency, epic or release)';

export function outcomesCommand(io: Io): Command {
  const cmd = new Command('outcomes')
    .helpCommand(false)
    .summary('import survey, usage and benefit data; set the cost per sprint and the feature mapping')
    .description(
      'Customer outcomes beside delivery: import survey responses (CSAT, NPS), product-analytics usage and benefits ' +
        'into the local store for a board or team, and set its cost per sprint and which epic or release ships which ' +
        'feature. metrics, report, schedule, serve and mcp then compute customer satisfaction, feature adoption, ROI ' +
        'and release impact for it.',
    );
  cmd.addCommand(
    scopeOptions(
      new Command('import')
        .summary('import a CSV or JSON file of outcome records, all or nothing')
        .description(
          'Import a CSV file (a header row, one record per line) or a JSON array of objects. A file with any bad row ' +
            'changes nothing: each problem is listed with its row and column. Importing the same file again changes nothing.',
        )
        .argument('<file>', 'the CSV or JSON file')
        .requiredOption('--kind <kind>', `what the file holds: ${KIND_HELP}`)
        .action((file: string, opts: ImportOptions) => runImport(file, opts, io)),
    ).addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  $ agile-kpi outcomes import survey.csv --kind csat --board 42        (date,score[,segment,feature,release])',
        '  $ agile-kpi outcomes import nps.json --kind nps --board 42           ([{"date": "2026-03-02", "score": 9}, ...])',
        '  $ agile-kpi outcomes import usage.csv --kind usage --board 42        (date,feature,users,active users)',
        '  $ agile-kpi outcomes import benefit.csv --kind benefit --source azure-devops --project Fabrikam --team "Fabrikam Team"',
      ].join('\n'),
    ),
  );
  cmd.addCommand(
    scopeOptions(
      new Command('list')
        .summary('the outcome records kept for a board or team, per kind, and its outcome settings')
        .action((opts: ScopeOptions) => runList(opts, io)),
    ),
  );
  cmd.addCommand(
    scopeOptions(
      new Command('remove')
        .summary("remove outcome records of a kind: one file's, or all of them")
        .description(
          'Removes the records of one kind that a file of that name brought in (--file, as `outcomes list` names it), or every ' +
            'record of the kind (--all), in one transaction. A service desk rating removed here comes back at the next sync ' +
            'while its project is named in --service-projects.',
        )
        .requiredOption('--kind <kind>', 'csat, nps, usage or benefit')
        .option('--file <name>', "the imported file's name, e.g. survey.csv")
        .option('--all', 'every record of the kind')
        .action((opts: RemoveOptions) => runRemove(opts, io)),
    ).addHelpText('after', ['', 'Examples:', '  $ agile-kpi outcomes remove --kind csat --file survey-march.csv --board 42', '  $ agile-kpi outcomes remove --kind usage --all --board 42'].join('\n')),
  );
  cmd.addCommand(
    scopeOptions(
      new Command('settings')
        .summary('set (or show) the cost per sprint and the feature -> epic or release mapping')
        .description('Changes the outcome settings kept with the board or team in the store, then shows them; without options, shows them.')
        .option('--cost-per-sprint <cost>', 'the team\'s cost per sprint and its currency, e.g. "10000 EUR" (none removes it): the cost side of ROI')
        .option('--feature <feature=target...>', 'a feature key of the usage data and the epic key or release name that ships it, e.g. export=PROJ-12 (repeatable)')
        .option('--remove-feature <feature...>', 'forget a feature\'s mapping (repeatable)')
        .action((opts: SettingsOptions) => runSettings(opts, io)),
    ).addHelpText(
      'after',
      ['', 'Examples:', '  $ agile-kpi outcomes settings --board 42 --cost-per-sprint "10000 EUR" --feature export=PROJ-12 --feature "search=Release 2.0"', '  $ agile-kpi outcomes settings --board 42'].join('\n'),
    ),
  );
  return cmd;
}

function scopeOptions(cmd: Command): Command {
  const group = 'Board or team:';
  const opt = (flags: string, description: string) => new Option(flags, description).helpGroup(group);
  return cmd
    .addOption(opt('--source <tracker>', 'jira (with --board) or azure-devops (with --project, --team); default jira'))
    .addOption(opt('--board <id>', 'the Jira board id, as synced (agile-kpi sync --board <id>)'))
    .addOption(opt('--site <url>', 'the Jira site (default: $JIRA_URL)'))
    .addOption(opt('--org <url>', 'the Azure DevOps organisation URL (default: $AZURE_DEVOPS_ORG_URL)'))
    .addOption(opt('--project <name>', 'the Azure DevOps project'))
    .addOption(opt('--team <name>', 'the Azure DevOps team'))
    .addOption(opt('--store <file|url>', 'local store file, or a PostgreSQL store postgres://user:pass@host:5432/db (default: $AGILE_KPI_STORE or ~/.agile-kpi/store.sqlite)'));
}

/**
 * The board's or team's scope in the store. It must have been synced: outcome records are bound to its releases
 * and epics, and a mistyped board id should neither start a store nor a scope of its own.
 */
async function openSyncedScope(opts: ScopeOptions, io: Io): Promise<{ scope: TeamScope; close: () => Promise<void>; label: string }> {
  const tracker = trackerOf(opts.source);
  const { key, label, storePath, syncCommand } = tracker.located(opts, io.env);
  const notSynced = () => new CliError(`${label} at ${key.site} has not been synced into ${isPostgresUrl(storePath) ? 'the PostgreSQL store' : storePath} yet: run ${syncCommand} first (outcome records are kept with the board or team they belong to)`);
  if (storePath !== ':memory:' && !isPostgresUrl(storePath) && !existsSync(storePath)) throw notSynced();
  const store = await openTeamStore(storePath, false);
  try {
    const known = (await store.scopes()).some((k) => k.source === key.source && k.site === key.site && k.scope === key.scope);
    const scope = known ? await store.scope(key) : undefined;
    if (!scope || (await scope.getState(tracker.syncState)) === undefined) throw notSynced();
    return { scope, close: () => store.close(), label };
  } catch (err) {
    await store.close();
    throw err;
  }
}

export async function runImport(file: string, opts: ImportOptions, io: Io): Promise<void> {
  const kind = choice<OutcomeKind>('--kind', opts.kind, OUTCOME_KINDS)!;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw fileError('read', file, err);
  }
  const name = basename(file);
  const read = readOutcomeFile(text, kind, name);
  if (!read.ok) {
    for (const line of problemLines(name, read.problems)) io.stderr.write(`${line}\n`);
    const n = read.problems.length;
    throw new CliError(`${name}: ${n} problem${n === 1 ? '' : 's'}, nothing imported (fix ${n === 1 ? 'it' : 'them'} and import the whole file again)`);
  }
  const { scope, close, label } = await openSyncedScope(opts, io);
  try {
    const { added, replaced } = await putTeamOutcomesIn(scope, kind, read.records);
    io.stdout.write(`${name} -> ${label} (${kind}): ${importSummary(read.records.length, added, replaced)}\n`);
  } finally {
    await close();
  }
}

export async function runList(opts: ScopeOptions, io: Io): Promise<void> {
  const { scope, close, label } = await openSyncedScope(opts, io);
  try {
    const data = readTeamOutcomes(await outcomeView(scope));
    io.stdout.write(`Outcome records of ${label}:\n`);
    for (const kind of OUTCOME_KINDS) {
      const records = data.records.filter((r) => r.kind === kind);
      const days = records.map((r) => ('date' in r && r.date ? r.date : 'at' in r && r.at ? r.at.slice(0, 10) : '')).filter(Boolean).sort();
      const span = days.length ? `  ${days[0]} to ${days[days.length - 1]}` : '';
      io.stdout.write(`  ${kind.padEnd(8)}${String(records.length).padStart(7)}${span}${sourcesNote(records)}\n`);
    }
    for (const line of describeOutcomeSettings(data.settings)) io.stdout.write(`${line}\n`);
  } finally {
    await close();
  }
}

export async function runRemove(opts: RemoveOptions, io: Io): Promise<void> {
  const kind = choice<OutcomeKind>('--kind', opts.kind, OUTCOME_KINDS)!;
  if ((opts.file === undefined) === (opts.all !== true)) throw new CliError('say which records go: --file <name> (as outcomes list names it) or --all');
  const { scope, close, label } = await openSyncedScope(opts, io);
  try {
    const records = readTeamOutcomes(await outcomeView(scope)).records.filter((r) => r.kind === kind);
    const chosen = opts.all ? records : records.filter((r) => fileOf(r) === opts.file);
    if (chosen.length === 0) {
      const files = [...new Set(records.flatMap((r) => fileOf(r) ?? []))].sort();
      throw new CliError(
        opts.all
          ? `${label} has no ${kind} records to remove`
          : `${label} has no ${kind} records from a file named ${opts.file}: ${files.length ? `its ${kind} files are ${files.join(', ')}` : `no ${kind} file was imported`}`,
      );
    }
    const removed = await scope.deleteOutcomes(kind, chosen.map((r) => r.id));
    io.stdout.write(`removed ${removed} ${kind} record${removed === 1 ? '' : 's'}${opts.all ? '' : ` of ${opts.file}`} from ${label}\n`);
  } finally {
    await close();
  }
}

/** "(2 files imported: nps.json, survey.csv; 30 service desk ratings)": where the records came from, by the names `outcomes remove --file` takes. */
function sourcesNote(records: readonly OutcomeRecord[]): string {
  const files = [...new Set(records.flatMap((r) => fileOf(r) ?? []))].sort();
  const ratings = records.filter((r) => r.id.startsWith('jsm:')).length;
  const named = files.length > 5 ? `${files.slice(0, 5).join(', ')}, ...` : files.join(', ');
  const parts = [...(files.length ? [`${files.length} file${files.length === 1 ? '' : 's'} imported: ${named}`] : []), ...(ratings ? [`${ratings} service desk rating${ratings === 1 ? '' : 's'}`] : [])];
  return parts.length ? `  (${parts.join('; ')})` : '';
}

export async function runSettings(opts: SettingsOptions, io: Io): Promise<void> {
  // Every value is checked before the store is opened: a typo changes nothing.
  const change = {
    ...(opts.costPerSprint !== undefined ? { cost: costPerSprint(opts.costPerSprint) } : {}),
    ...(opts.feature ? { features: opts.feature.map(featureLink) } : {}),
    ...(opts.removeFeature ? { removeFeatures: opts.removeFeature } : {}),
  };
  const { scope, close, label } = await openSyncedScope(opts, io);
  try {
    const current = readTeamOutcomes(await outcomeView(scope)).settings;
    const next = Object.keys(change).length ? changeOutcomeSettings(current, change) : current;
    if (next !== current) await scope.setState(OUTCOME_SETTINGS_STATE, next);
    io.stdout.write(`Outcome settings of ${label}:\n${describeOutcomeSettings(next).map((l) => `  ${l}\n`).join('')}`);
  } finally {
    await close();
  }
}
