import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command } from 'commander';
import type { Snapshot, SprintVerdict } from '@agile-kpi/core';
import { CliError } from '../cli-error';
import { type Io, waitForSignal } from '../io';
import { DEFAULT_SEED, seedOption, snapshotOverrides, wholeNumber } from '../metric-options';
import { readSnapshot } from '../read-snapshot';
import { demoOutcomes, simulateDemoTeam } from '../outcomes/demo-outcomes';
import { type TeamOutcomeData, readTeamOutcomes } from '../outcomes/scope-outcomes';
import { type SnapshotSource, dashboardApi } from '../serve/dashboard-api';
import { type OutcomeSink, memoryOutcomeSink, scopeOutcomeSink } from '../serve/outcome-upload';
import { startDashboardServer } from '../serve/http-server';
import { isLoopback, loadOrgConfig } from '../org/org-config';
import { startOrgServer } from '../org/org-server';
import { loadScheduleConfig } from '../report/schedule-config';
import { runSchedule } from './schedule';
import { throughJira } from './demo';
import { exclusively, openTeamScope, outcomeView } from '../team-store';
import { type TrackerFlags, addTrackerOptions, trackerOf } from '../trackers';

interface ServeOptions extends TrackerFlags {
  readonly port?: string;
  readonly host?: string;
  readonly demo?: boolean;
  readonly input?: string;
  readonly seed?: string;
  readonly timeZone?: string;
  readonly config?: string;
}

/**
 * `agile-kpi serve`: the dashboard in a browser, for teams without Forge or the Azure DevOps extension (and
 * for every developer): the same UI and a small JSON API over the local store, a snapshot file, or (--demo)
 * the simulated team. Listens on 127.0.0.1 unless told otherwise.
 */
export function serveCommand(io: Io, until: (url: string) => Promise<void> = waitForSignal): Command {
  const cmd = new Command('serve')
    .summary('serve the dashboard in a browser')
    .description(
      'Serve the dashboard (every KPI with its evidence, sprint goal verdicts) and its JSON API on 127.0.0.1, over ' +
        'the simulated team (--demo), a snapshot file (--input), or a tracker synced into the local store (--source).',
    )
    .option('--port <n>', 'port (default 4242; 0 = any free port)')
    .option('--host <address>', 'interface to listen on (default 127.0.0.1; 0.0.0.0 shares the dashboard with your network)')
    .option('--demo', 'the simulated team, read through the simulated Jira (as `agile-kpi demo`)')
    .option('--seed <n>', `with --demo: the simulated team's seed (default ${DEFAULT_SEED})`)
    .option('-i, --input <file>', 'a snapshot file')
    .option('--source <tracker>', 'jira (with --board) or azure-devops (with --project, --team), from the local store')
    .option('--offline', 'with --source: do not sync on start')
    .option('--time-zone <iana>', 'the team\'s zone, where the tracker has none')
    .option('-c, --config <file>', 'the organisation server: the teams, schedule and access of an org.yml (see docs/server.md)')
    .action((opts: ServeOptions) => runServe(opts, io, until));
  addTrackerOptions(cmd, { sync: true });
  cmd.addHelpText(
    'after',
    [
      '',
      'Examples:',
      '  $ agile-kpi serve --demo                       then open http://127.0.0.1:4242',
      '  $ agile-kpi serve --source jira --board 42',
      '  $ agile-kpi serve --input team.json --port 8080',
      '  $ agile-kpi serve --config org.yml                 many teams: a portfolio page, their dashboards, /api/teams',
    ].join('\n'),
  );
  return cmd;
}

export async function runServe(opts: ServeOptions, io: Io, until: (url: string) => Promise<void>): Promise<void> {
  const modes = [opts.demo === true, opts.input !== undefined, opts.source !== undefined, opts.config !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new CliError('say what to serve: --demo, --input <snapshot file>, --source jira|azure-devops, or --config org.yml (many teams)');
  if (opts.config !== undefined) return runOrgServer(opts, opts.config, io, until);
  const port = wholeNumber('--port', opts.port, 0, 65535) ?? 4242;
  const host = opts.host ?? '127.0.0.1';
  const webRoot = dashboardWebRoot();
  const { source, close, outcomes } = await openSource(opts, io);
  try {
    let server;
    try {
      server = await startDashboardServer({ api: dashboardApi(source, opts.timeZone ? { timeZone: opts.timeZone } : {}), webRoot, host, port, log: (l) => io.stderr.write(`${l}\n`), outcomes });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${port} on ${host} is in use: pick another with --port`);
      throw err;
    }
    io.stdout.write(`Dashboard for ${source.choice.name} at ${server.url}\nPress Ctrl-C to stop.\n`);
    try {
      await until(server.url);
    } finally {
      await server.close();
    }
  } finally {
    await close();
  }
}

/** The built standalone dashboard shipped by @agile-kpi/dashboard (`npm run build` makes it). */
export function dashboardWebRoot(): string {
  const root = join(dirname(require.resolve('@agile-kpi/dashboard/package.json')), 'web', 'standalone');
  if (!existsSync(join(root, 'index.html'))) throw new CliError(`the dashboard is not built (${root} has no index.html): run npm run build at the repository root`);
  return root;
}

/** What serve reads, and where the settings' outcome uploads go: the scope in the store, or memory for a file or the demo. */
async function openSource(opts: ServeOptions, io: Io): Promise<{ source: SnapshotSource; close: () => void | Promise<void>; outcomes: OutcomeSink }> {
  if (opts.demo) {
    const seed = seedOption(opts.seed) ?? DEFAULT_SEED;
    const team = simulateDemoTeam({ seed });
    const snapshot = (await throughJira(team)) as Snapshot;
    return { ...withMemoryOutcomes(memorySource(snapshot, { id: 'demo', name: `${team.snapshot.team.name} (simulated, seed ${seed})` }), demoOutcomes(team)), close: () => {} };
  }
  if (opts.input !== undefined) {
    const snapshot = readSnapshot(opts.input, snapshotOverrides(opts));
    return { ...withMemoryOutcomes(memorySource(snapshot, { id: opts.input, name: snapshot.team.name })), close: () => {} };
  }
  const overrides = snapshotOverrides(opts);
  const tracker = trackerOf(opts.source);
  const team = tracker.connect(opts, io.env);
  const { scope, close } = await openTeamScope(team.storePath, team.defaultStore, team.key);
  try {
    if (!opts.offline) await exclusively(scope, () => team.sync(scope, io));
  } catch (err) {
    await close();
    throw err;
  }
  const options = tracker.teamOptions(opts, overrides);
  return {
    source: {
      choice: { id: team.key.scope, name: team.name },
      snapshot: () => team.snapshot(scope, options, overrides),
      recordVerdict: async (sprintId, verdict) => void (await scope.setVerdict(sprintId, verdict)),
      syncedAt: async () => (await scope.getState<{ lastSyncAt: string }>(tracker.syncState))?.lastSyncAt ?? '',
      outcomes: async () => readTeamOutcomes(await outcomeView(scope)),
    },
    close,
    outcomes: scopeOutcomeSink(scope),
  };
}

/** `serve --config org.yml`: the organisation server; the file says where it listens (--host and --port override it). */
async function runOrgServer(opts: ServeOptions, file: string, io: Io, until: (url: string) => Promise<void>): Promise<void> {
  const loaded = loadOrgConfig(file, io);
  const port = wholeNumber('--port', opts.port, 0, 65535);
  const config = { ...loaded, ...(opts.host !== undefined ? { host: opts.host } : {}), ...(port !== undefined ? { port } : {}) };
  if (config.auth.kind === 'none' && !isLoopback(config.host)) {
    throw new CliError(`${config.host} is not a loopback address: the server refuses to listen there without auth: in ${file} (token-env or trusted-header)`);
  }
  const log = (l: string) => io.stderr.write(`${new Date().toISOString()} ${l}\n`);
  // The report schedules are checked now, so a mistake stops the start rather than Monday's report.
  if (config.reports !== undefined) loadScheduleConfig(config.reports, io, { store: config.storePath });
  const stopReports = new AbortController();
  let server;
  try {
    server = await startOrgServer(config, { webRoot: dashboardWebRoot(), io, log, syncOnStart: opts.offline ? 'none' : 'missing' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new CliError(`port ${config.port} on ${config.host} is in use: pick another with --port or listen: in ${file}`);
    throw err;
  }
  io.stdout.write(`Portfolio of ${config.teams.length} team${config.teams.length === 1 ? '' : 's'} at ${server.url}\nPress Ctrl-C to stop.\n`);
  const reports =
    config.reports === undefined
      ? undefined
      : runSchedule({ config: config.reports, store: config.storePath }, io, { signal: stopReports.signal }).catch((err: Error) => log(`the report schedules stopped: ${err.message}`));
  try {
    await until(server.url);
  } finally {
    stopReports.abort();
    await reports;
    await server.close();
  }
}

/**
 * A memory source (a snapshot file, the demo) whose metrics read the outcome files uploaded in the settings and the
 * outcome settings (cost per sprint, feature mappings) set there, both kept for the life of the server.
 */
export function withMemoryOutcomes(source: SnapshotSource, initial: TeamOutcomeData = { records: [], settings: {} }): { source: SnapshotSource; outcomes: OutcomeSink } {
  const kept = memoryOutcomeSink(initial.records, { settings: initial.settings });
  return { source: { ...source, outcomes: async () => ({ records: kept.records(), settings: kept.currentSettings() }) }, outcomes: kept };
}

/** A snapshot held in memory (the demo, a file): verdicts are kept for the life of the server. */
export function memorySource(snapshot: Snapshot, choice: { id: string; name: string }): SnapshotSource {
  const verdicts = new Map<string, SprintVerdict>();
  return {
    choice,
    snapshot: async () => ({ ...snapshot, sprints: snapshot.sprints.map((s) => (verdicts.has(s.id) ? { ...s, verdict: verdicts.get(s.id)! } : s)) }),
    recordVerdict: async (sprintId, verdict) => void verdicts.set(sprintId, verdict),
    syncedAt: async () => snapshot.asOf,
  };
}
