import { Command } from 'commander';
import { HistoryIndex, velocity } from '@agile-kpi/core';
import { JiraClient, collectVelocityReport, reconcileVelocity, type VelocityReconciliation } from '@agile-kpi/jira';
import Table from 'cli-table3';
import pc from 'picocolors';
import { QuietExit } from '../cli-error';
import { choice, snapshotOverrides, type RawMetricOptions } from '../metric-options';
import { wantsColor, type Io } from '../io';
import { jiraSettings, jiraTeamOptions, snapshotFromStore, syncWithProgress, transportFor, type RawJiraOptions } from '../jira-source';
import { exclusively, openTeamScope } from '../team-store';
import { requireJira } from './sync';
import { jira } from '../trackers/jira';

/** Exit code when at least one closed sprint differs from Jira's chart (0 when all agree). */
export const EXIT_DIFFERS = 4;

interface VerifyOptions extends RawJiraOptions, Pick<RawMetricOptions, 'timeZone'> {
  readonly format?: string;
}

/**
 * `agile-kpi verify --source jira --board ID`: our velocity beside Jira's own velocity chart, sprint by
 * sprint, and the items that explain any difference. No other tool proves its numbers against Jira's.
 */
export function verifyCommand(io: Io): Command {
  const cmd = new Command('verify')
    .summary('compare our velocity with Jira\'s own velocity chart, sprint by sprint')
    .description(
      'Reads Jira\'s velocity chart for the board (the endpoint behind Jira\'s report; unsupported by Atlassian, so ' +
        'sites without it only get our figures) and prints, per closed sprint, our Committed and Completed beside ' +
        'Jira\'s, and the items that explain any difference (added or removed mid-sprint, re-estimated, done ' +
        `before they joined). Exits 0 when every sprint agrees, ${EXIT_DIFFERS} when one differs.`,
    )
    .option('--source <tracker>', 'the tracker: jira', 'jira')
    .option('--offline', 'use the local store as it is (Jira\'s chart is still read)')
    .option('-f, --format <format>', 'text or json', 'text')
    .option('--time-zone <iana>', 'the team\'s zone (default: the API user\'s)')
    .action((opts: VerifyOptions) => runVerify(opts, io));
  jira.addOptions(cmd, { sync: true });
  cmd.addHelpText('after', ['', 'Examples:', '  $ agile-kpi verify --board 42', '  $ agile-kpi verify --board 42 --format json'].join('\n'));
  return cmd;
}

export async function runVerify(opts: VerifyOptions, io: Io): Promise<void> {
  requireJira(opts.source);
  const format = choice('--format', opts.format ?? 'text', ['text', 'json'] as const)!;
  const settings = jiraSettings(opts, io.env);
  const overrides = snapshotOverrides(opts);
  const transport = transportFor(settings);
  const { scope, close } = await openTeamScope(settings.storePath, settings.defaultStore, { source: 'jira', site: settings.site, scope: String(settings.boardId) });
  let rows: VelocityReconciliation[];
  let available: boolean;
  try {
    if (!opts.offline) await exclusively(scope, () => syncWithProgress(transport, scope, settings, io, opts.full === true));
    const snapshot = await snapshotFromStore(scope, settings, jiraTeamOptions(opts, overrides), overrides);
    const ours = velocity(new HistoryIndex(snapshot), { historyCount: Number.MAX_SAFE_INTEGER });
    const report = await collectVelocityReport(new JiraClient(transport, { concurrency: settings.concurrency, retry: { failureRetries: settings.retries } }), settings.boardId);
    available = report !== null;
    rows = reconcileVelocity(ours, report);
  } finally {
    await close();
  }
  if (format === 'json') io.stdout.write(`${JSON.stringify({ board: settings.boardId, site: settings.site, jiraChartAvailable: available, sprints: rows }, null, 2)}\n`);
  else io.stdout.write(renderVerify(rows, available, settings.boardId, wantsColor(io)));
  if (!available || rows.some((r) => !r.agrees)) throw new QuietExit(EXIT_DIFFERS);
}

export function renderVerify(rows: readonly VelocityReconciliation[], available: boolean, boardId: number, color: boolean): string {
  const c = color ? pc : { green: (s: string) => s, red: (s: string) => s, dim: (s: string) => s, bold: (s: string) => s };
  const out: string[] = [];
  out.push(c.bold(`Velocity of board ${boardId}: agile-kpi beside Jira's velocity chart (closed sprints)`));
  if (!available) out.push('Jira\'s velocity chart is not available on this site (the endpoint is unsupported by Atlassian); our figures only.');
  const table = new Table({
    head: ['Sprint', 'Committed (ours / Jira)', 'Completed (ours / Jira)', ''],
    style: { head: [], border: [] },
    chars: { top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '', left: '  ', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ' },
  });
  const fmt = (x: number | undefined) => (x === undefined ? '—' : String(Math.round(x * 100) / 100));
  for (const r of rows) {
    table.push([
      r.name,
      `${fmt(r.ours?.committed)} / ${fmt(r.jira?.committed)}`,
      `${fmt(r.ours?.completed)} / ${fmt(r.jira?.completed)}`,
      r.agrees ? c.green('agrees') : r.jira && r.ours ? c.red('differs') : c.dim('one side only'),
    ]);
  }
  out.push(table.toString());
  const differing = rows.filter((r) => !r.agrees && r.ours && r.jira);
  for (const r of differing) {
    out.push('', `${r.name}: items that can explain the difference`);
    if (!r.explanation.length) out.push('  none of our evidence explains it: run with --format json and compare the items with Jira\'s sprint report');
    for (const e of r.explanation) out.push(`  ${e.key}  ${e.role} (${e.contribution ?? 0})  ${e.why}${e.title ? `  — ${e.title}` : ''}`);
  }
  const agree = rows.filter((r) => r.agrees).length;
  out.push('', available ? `${agree} of ${rows.length} closed sprints agree with Jira.` : `${rows.length} closed sprints (no Jira figures to compare).`);
  return `${out.join('\n')}\n`;
}
