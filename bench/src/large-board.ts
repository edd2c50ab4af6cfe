import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { JiraClient, jiraJsTransport } from '@agile-kpi/jira';
import { type SimulatedTeam, simulateTeam, startSimulatedAzureDevOps, startSimulatedJira } from '@agile-kpi/testkit';
import { type Measured, measured } from './stats';
import { adoMinimumRequests, jiraMinimumRequests } from './sync-bench';

/**
 * One large board end to end, as a user runs it: a Jira-shaped board (54 two-week sprints, one project) of
 * 10 000, 50 000 and 100 000 issues from the simulator, served by the simulated Jira in this process, synced
 * into a store file by the built CLI (`agile-kpi sync`) in its own process, then `agile-kpi metrics --offline
 * --format json` timed as a separate process from start to exit (wall time, peak resident memory). The same
 * for one Azure DevOps team. Syncs are measured too: requests against the floor, wall time, peak memory, and
 * incremental syncs after nothing and after k changed items.
 */
export interface ProcessMeasure {
  readonly wallMs: number;
  readonly peakRssMb: number;
  /**
   * The machine's 1-minute load average as the process started (`os.loadavg()`, as `uptime` shows it): on a
   * shared 2-core machine a load above 2 stretches wall times; peak memory does not depend on it.
   */
  readonly load: number;
  /**
   * The CPU time the process used, user and system (its own threads: the main thread, the garbage collector's,
   * libuv's). On an idle machine the wall time is about this, less what the collector's threads did in
   * parallel; on a loaded one it is the better measure of the work done.
   */
  readonly cpuMs: number;
}

export interface LargeBoardMeasure {
  readonly tracker: 'jira' | 'azure-devops';
  /** What the simulator made: items, history records on the tracker's wire (Jira changelog histories, Azure DevOps revisions), sprints, releases. */
  readonly shape: {
    readonly items: number;
    readonly histories: number;
    readonly historiesPerItem: number;
    readonly sprints: number;
    readonly releases: number;
    /** Items flagged (blocked) at some point. */
    readonly flaggedPct: number;
    /** Items that were in more than one sprint. */
    readonly carriedOverPct: number;
  };
  readonly storeMb: number;
  readonly sync: {
    readonly full: ProcessMeasure & { readonly requests: number; readonly minimum: number; readonly overMinimumPct: number; readonly byKind: Record<string, number> };
    /** A sync right after the full one: nothing changed. */
    readonly unchanged: ProcessMeasure & { readonly requests: number };
    /** Syncs after k items were edited. */
    readonly changed: readonly (ProcessMeasure & { readonly k: number; readonly requests: number })[];
  };
  /** `metrics --offline --format json`, process start to exit. */
  readonly metrics: { readonly wallMs: Measured; readonly cpuMs: Measured; readonly peakRssMb: number; readonly outputMb: number; readonly load: readonly number[] };
  /**
   * Jira: the first `metrics --offline` after a mapping setting changed (another impediment type), which re-maps
   * the items from the raw documents. (Azure DevOps' CLI has no option that changes how an item maps.)
   */
  readonly remapped?: ProcessMeasure;
}

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'bin', 'agile-kpi.js');
// From bench/src (tests) and bench/dist alike: the preload runs compiled.
const PEAK_RSS = join(__dirname, '..', 'dist', 'peak-rss.js');

/** Simulated items per `itemsPerSprint` at 54 sprints (stories, bugs, tasks, their sub-tasks, epics, impediments). */
const ITEMS_PER_ITEMS_PER_SPRINT = 89;

/** Runs the built CLI in its own process: wall time from spawn to exit and its peak resident memory. */
export async function runCli(args: readonly string[], env: Record<string, string>, work: string, stdoutFile?: string): Promise<ProcessMeasure> {
  const rssFile = join(work, `rss-${process.pid}-${Date.now()}`);
  const out = stdoutFile ? openSync(stdoutFile, 'w') : 'ignore';
  try {
    const load = Math.round(loadavg()[0]! * 100) / 100;
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-r', PEAK_RSS, CLI, ...args], {
      env: { ...process.env, ...env, AGILE_KPI_BENCH_PEAK_RSS: rssFile },
      stdio: ['ignore', out, 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => void (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', resolve);
    });
    const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
    if (code !== 0) throw new Error(`agile-kpi ${args.join(' ')} exited with ${code}: ${stderr.slice(-2000)}`);
    const [maxRss, userCpu, systemCpu] = readFileSync(rssFile, 'utf8').split(' ').map(Number) as [number, number, number];
    return { wallMs: Math.round(wallMs), peakRssMb: Math.round(maxRss / 1024), load, cpuMs: Math.round((userCpu + systemCpu) / 1000) };
  } finally {
    if (typeof out === 'number') closeSync(out);
    rmSync(rssFile, { force: true });
  }
}

/** A simulated team of about `items` items in 54 two-week sprints. */
export function largeTeam(items: number, options: { smoke: boolean; calendar: 'instants' | 'dates' }): SimulatedTeam {
  const sprints = options.smoke ? 6 : 54;
  const itemsPerSprint = options.smoke ? 10 : Math.max(3, Math.round(items / ITEMS_PER_ITEMS_PER_SPRINT));
  return simulateTeam({ seed: 7, sprints, itemsPerSprint, start: '2024-01-01', sprintCalendar: options.calendar });
}

function shareOf(team: SimulatedTeam, test: (i: SimulatedTeam['snapshot']['items'][number]) => boolean): number {
  const items = team.snapshot.items;
  return Math.round((items.filter(test).length / items.length) * 1000) / 10;
}

function neutralShape(team: SimulatedTeam) {
  return {
    sprints: team.snapshot.sprints.length,
    releases: team.snapshot.releases.length,
    flaggedPct: shareOf(team, (i) => i.flagged.some((c) => c.value)),
    carriedOverPct: shareOf(team, (i) => new Set(i.sprints.flatMap((c) => c.value)).size > 1),
  };
}

function fileMb(file: string): number {
  const size = (f: string) => (existsSync(f) ? statSync(f).size : 0);
  return Math.round((size(file) + size(`${file}-wal`)) / 1e5) / 10;
}

const pct = (requests: number, minimum: number) => Math.round(((requests - minimum) / minimum) * 1000) / 10;

/** Times `metrics --offline` `repeats` times; the JSON goes to a file (its size is reported). */
async function timeMetrics(args: readonly string[], env: Record<string, string>, work: string, repeats: number): Promise<LargeBoardMeasure['metrics']> {
  const outFile = join(work, 'metrics.json');
  const runs: ProcessMeasure[] = [];
  for (let r = 0; r < repeats; r++) runs.push(await runCli([...args, '--offline', '--format', 'json'], env, work, outFile));
  const outputMb = Math.round(statSync(outFile).size / 1e5) / 10;
  rmSync(outFile);
  return { wallMs: measured(runs.map((r) => r.wallMs)), cpuMs: measured(runs.map((r) => r.cpuMs)), peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)), outputMb, load: runs.map((r) => r.load) };
}

export async function largeJiraBoard(items: number, options: { smoke: boolean; repeats: number; ks: readonly number[]; work: string; log: (l: string) => void }): Promise<LargeBoardMeasure> {
  const team = largeTeam(items, { smoke: options.smoke, calendar: 'instants' });
  const jira = await startSimulatedJira({ teams: [team] });
  const store = join(options.work, `jira-${items}.sqlite`);
  try {
    const boardId = jira.boards[0]!.id;
    const env = { JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken };
    const args = ['--source', 'jira', '--board', String(boardId), '--store', store];
    const issues = jira.site.issues.filter((i) => !i.deleted);
    const histories = issues.reduce((a, i) => a + i.histories.length, 0);
    options.log(`  jira: ${issues.length} issues, ${histories} histories: full sync...`);
    jira.requests.reset();
    const full = await runCli(['sync', ...args], env, options.work);
    const requests = jira.requests.count();
    const byKind = jira.requests.counts();
    const minimum = await jiraMinimumRequests(jira, new JiraClient(jiraJsTransport({ site: jira.url, email: jira.email, apiToken: jira.apiToken })), boardId);
    jira.requests.reset();
    const unchanged = { ...(await runCli(['sync', ...args], env, options.work)), requests: jira.requests.count() };
    options.log(`  jira: metrics --offline...`);
    const metrics = await timeMetrics(['metrics', ...args], env, options.work, options.repeats);
    const changed = [];
    let edited = 0;
    for (const k of options.ks) {
      for (const i of issues.slice(edited, edited + k)) jira.site.edit(i.key, { summary: `${i.summary} (edited)` });
      edited += k;
      jira.requests.reset();
      changed.push({ k, ...(await runCli(['sync', ...args], env, options.work)), requests: jira.requests.count() });
    }
    // Last: it compiles every issue under other settings (a sync after it would compile them all back).
    const remapped = await runCli(['metrics', ...args, '--offline', '--format', 'json', '--impediment-types', 'Impediment,Spike'], env, options.work);
    return {
      tracker: 'jira',
      shape: { items: issues.length, histories, historiesPerItem: Math.round((histories / issues.length) * 10) / 10, ...neutralShape(team) },
      storeMb: fileMb(store),
      sync: { full: { ...full, requests, minimum, overMinimumPct: pct(requests, minimum), byKind }, unchanged, changed },
      metrics,
      remapped,
    };
  } finally {
    await jira.close();
    for (const f of [store, `${store}-wal`, `${store}-shm`]) rmSync(f, { force: true });
  }
}

export async function largeAdoTeam(items: number, options: { smoke: boolean; repeats: number; ks: readonly number[]; work: string; log: (l: string) => void }): Promise<LargeBoardMeasure> {
  const team = largeTeam(items, { smoke: options.smoke, calendar: 'dates' });
  const ado = await startSimulatedAzureDevOps({ teams: [team], process: 'agile' });
  const store = join(options.work, `ado-${items}.sqlite`);
  try {
    const project = ado.projects[0]!;
    const env = { AZURE_DEVOPS_ORG_URL: ado.url, AZURE_DEVOPS_PAT: ado.pat };
    const args = ['--source', 'azure-devops', '--project', project.name, '--team', project.team, '--store', store];
    const ids = ado.site.visibleWorkItems().map((w) => w.id);
    const revisions = ado.site.revisionsAfter(0).length;
    options.log(`  azure-devops: ${ids.length} work items, ${revisions} revisions: full sync...`);
    ado.requests.reset();
    const full = await runCli(['sync', ...args], env, options.work);
    const requests = ado.requests.count();
    const byKind = ado.requests.counts();
    const minimum = adoMinimumRequests(ado, byKind);
    ado.requests.reset();
    const unchanged = { ...(await runCli(['sync', ...args], env, options.work)), requests: ado.requests.count() };
    options.log(`  azure-devops: metrics --offline...`);
    const metrics = await timeMetrics(['metrics', ...args], env, options.work, options.repeats);
    const changed = [];
    let edited = 0;
    for (const k of options.ks) {
      for (const id of ids.slice(edited, edited + k)) ado.site.edit(id, { title: `edited ${id}` });
      edited += k;
      ado.requests.reset();
      changed.push({ k, ...(await runCli(['sync', ...args], env, options.work)), requests: ado.requests.count() });
    }
    return {
      tracker: 'azure-devops',
      shape: { items: ids.length, histories: revisions, historiesPerItem: Math.round((revisions / ids.length) * 10) / 10, ...neutralShape(team) },
      storeMb: fileMb(store),
      sync: { full: { ...full, requests, minimum, overMinimumPct: pct(requests, minimum), byKind }, unchanged, changed },
      metrics,
    };
  } finally {
    await ado.close();
    for (const f of [store, `${store}-wal`, `${store}-shm`]) rmSync(f, { force: true });
  }
}
