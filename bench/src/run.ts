import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { simulateOrganisation, simulateTeam } from '@agile-kpi/testkit';
import type { CoreSizeResult } from './core-size';
import type { LargeBoardMeasure } from './large-board';
import { largeBoardBudgets, largeBoards, printLarge } from './large-bench';
import { serveBench, type ServeMeasure } from './serve-bench';
import { nLogNExponent, scalingExponent } from './stats';
import { RATE_LIMIT_EVERY, adoSyncBench, jiraSyncBench, type SyncMeasure } from './sync-bench';

/**
 * `npm run bench`: the cost curve of agile-kpi at organisation scale, in one run. Core (every metric for
 * 1, 10 and 50 simulated teams of 40 sprints; each metric alone; point-in-time queries; a 10 000-trial
 * forecast), the adapters (full and incremental syncs against the simulated trackers with 80 ms per request),
 * the Forge resolver serving a 5 000-item board from its cache, and `agile-kpi serve` under concurrent
 * requests. Prints a table, checks the budgets of docs/performance.md, writes bench/results/<date>.json.
 * `--smoke` runs tiny sizes to prove the harness works (npm test does; no timing is judged there).
 */
/** What bench/forge-large.bench.ts measures (test code, loaded as TypeScript: its type is restated here). */
interface ForgeLargeMeasure {
  readonly items: number;
  readonly reportMb: number;
  readonly views: readonly { readonly view: string; readonly travelKb: number; readonly jsonKb: number; readonly loadMs: { median: number; min: number; max: number; runs: number }; readonly pagedLists: number }[];
  readonly pageMs: { median: number; min: number; max: number; runs: number };
  readonly pageKb: number;
  readonly cacheWrite: { readonly ms: number; readonly writeUnits: number; readonly keys: number };
}

interface BenchResult {
  readonly date: string;
  readonly machine: { readonly cpus: number; readonly cpu: string; readonly memoryGb: number; readonly os: string; readonly node: string };
  readonly smoke: boolean;
  readonly core: readonly CoreSizeResult[];
  readonly scaling: readonly { readonly from: number; readonly to: number; readonly exponent: number; readonly nLogN: number }[];
  readonly sync: readonly SyncMeasure[];
  readonly forgeCache: { readonly items: number; readonly cachedLoadMs: { median: number; min: number; max: number; runs: number }; readonly payloadKb: number };
  /** Forge at any board size: a ~50 000-issue board's gadget answers from the cache (bench/forge-large.bench.ts, its ForgeLargeMeasure). */
  readonly forgeLarge: ForgeLargeMeasure;
  readonly serve: ServeMeasure;
  /** One large board end to end through the built CLI: Jira at several sizes, then one Azure DevOps team. */
  readonly large: readonly LargeBoardMeasure[];
  readonly budgets: readonly { readonly budget: string; readonly measured: string; readonly met: boolean }[];
}

export async function runBench(options: { smoke: boolean; out?: string; log?: (line: string) => void }): Promise<BenchResult> {
  const log = options.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const smoke = options.smoke;
  const sizes = smoke ? [1, 2] : [1, 10, 50];
  const sprints = smoke ? 6 : 40;
  const repeats = smoke ? 1 : 5;
  const work = mkdtempSync(join(tmpdir(), 'agile-kpi-bench-'));
  try {
    const core: CoreSizeResult[] = [];
    for (const teams of sizes) {
      log(`core: ${teams} team(s) x ${sprints} sprints...`);
      const dir = join(work, `org-${teams}`);
      mkdirSync(dir);
      // One file per team, as a store or a scheduled export holds them.
      simulateOrganisation({ seed: 1, teams, sprints }).forEach((t, i) => writeFileSync(join(dir, `team-${String(i).padStart(3, '0')}.json`), JSON.stringify(t.snapshot)));
      // Its own process, so its peak memory is its own. One team is measured after more warm-up runs (a
      // gadget or a report runs in a process that has computed before); its first, cold run is reported too.
      const teamRepeats = smoke ? 1 : teams === 1 ? 15 : teams >= 50 ? 3 : repeats;
      const warmUps = smoke ? 1 : teams === 1 ? 5 : 1;
      const out = execFileSync(process.execPath, ['--max-old-space-size=4096', join(__dirname, '..', 'dist', 'core-size.js'), dir, String(teamRepeats), String(warmUps)], {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
      });
      core.push(JSON.parse(out) as CoreSizeResult);
      rmSync(dir, { recursive: true });
    }
    const scaling = core.slice(1).map((c, i) => {
      const a = core[i]!;
      return {
        from: a.items,
        to: c.items,
        exponent: scalingExponent(a.items, a.allMetricsMs.median, c.items, c.allMetricsMs.median),
        nLogN: nLogNExponent(a.items, c.items),
      };
    });
    log('sync: Jira and Azure DevOps against the simulated trackers...');
    const latency = smoke ? 0 : 80;
    const ks = smoke ? [1, 5] : [1, 10, 100];
    const syncTeam = simulateTeam({ seed: 1, sprints, itemsPerSprint: 31 });
    const syncTeamDates = simulateTeam({ seed: 1, sprints, itemsPerSprint: 31, sprintCalendar: 'dates' });
    const sync = [await jiraSyncBench(syncTeam, latency, ks), await adoSyncBench(syncTeamDates, latency, ks)];
    log('forge: a gadget load from the cache...');
    // The Forge harness and its in-memory storage are test code, loaded as TypeScript.
    require('@swc-node/register');
    const { forgeCacheBench } = require('../forge-cache.bench.ts') as {
      forgeCacheBench(itemsPerSprint: number, repeats: number): Promise<BenchResult['forgeCache']>;
    };
    const forgeCache = await forgeCacheBench(smoke ? 5 : 75, smoke ? 1 : 10);
    log('forge: a 50 000-issue board’s gadget answers from the cache...');
    const { forgeLargeBench } = require('../forge-large.bench.ts') as { forgeLargeBench(items: number, repeats: number): Promise<ForgeLargeMeasure> };
    const forgeLarge = await forgeLargeBench(smoke ? 500 : 50_000, smoke ? 1 : 10);
    const largestAnswer = Math.max(...forgeLarge.views.map((v) => v.travelKb));
    const slowestLoad = Math.max(...forgeLarge.views.map((v) => v.loadMs.median));
    log('serve: the metrics API under concurrent requests...');
    const serve = await serveBench(smoke ? 2 : 8, smoke ? 4 : 80);
    const large = await largeBoards({ smoke, work, log });

    const largest = core[core.length - 1]!;
    const oneTeam = core[0]!;
    const jira = sync[0]!;
    const ado = sync[1]!;
    const budgets = [
      {
        budget: 'all metrics for the largest size under 3 s',
        measured: `${largest.allMetricsMs.median} ms for ${largest.items} items / ${largest.events} events (with reading and checking the files: ${largest.endToEndMs.median} ms)`,
        met: largest.allMetricsMs.median < 3000,
      },
      { budget: 'peak memory for the largest size under 1 GB', measured: `${largest.peakRssMb} MB`, met: largest.peakRssMb < 1024 },
      { budget: 'time grows no faster than n log n', measured: scaling.map((s) => `${s.exponent} (n log n: ${s.nLogN})`).join(', '), met: scaling.every((s) => s.exponent <= s.nLogN + 0.05) },
      { budget: 'one team: all metrics under 50 ms', measured: `${oneTeam.allMetricsMs.median} ms for ${oneTeam.items} items (first, cold run: ${oneTeam.firstRunAllMetricsMs} ms)`, met: oneTeam.allMetricsMs.median < 50 },
      { budget: 'Jira full sync within 10 % of the minimum requests', measured: `${jira.full.requests} vs ${jira.full.minimum} (+${jira.full.overMinimumPct} %)`, met: jira.full.overMinimumPct <= 10 },
      { budget: 'Azure DevOps full sync within 10 % of the minimum requests', measured: `${ado.full.requests} vs ${ado.full.minimum} (+${ado.full.overMinimumPct} %)`, met: ado.full.overMinimumPct <= 10 },
      {
        budget: 'incremental sync requests grow with the changes, not the board',
        measured: sync.map((s) => `${s.tracker}: ${s.incremental.map((i) => `k=${i.changed}: ${i.requests}`).join(', ')}`).join('; '),
        met: sync.every((s) => s.incremental.every((i) => i.requests < s.full.requests)),
      },
      { budget: 'a gadget load from cache under 300 ms (5 000-item board)', measured: `${forgeCache.cachedLoadMs.median} ms for ${forgeCache.items} items`, met: forgeCache.cachedLoadMs.median < 300 },
      {
        budget: "a gadget's answer within Forge's 5 MB response limit (5 000-item board)",
        measured: `${forgeCache.payloadKb} KB as it travels (compressed)`,
        met: forgeCache.payloadKb * 1024 < 5 * 1024 * 1024,
      },
      {
        budget: `a gadget's answer at most 1 MB as it travels (${forgeLarge.items}-issue board, every view)`,
        measured: `${largestAnswer} KB at most (${forgeLarge.views.map((v) => `${v.view} ${v.travelKb}`).join(', ')}); the whole report is ${forgeLarge.reportMb} MB`,
        met: largestAnswer <= 1024,
      },
      {
        budget: `a gadget load from the cache at most 300 ms (${forgeLarge.items}-issue board, every view)`,
        measured: `${slowestLoad} ms median at most (${forgeLarge.views.map((v) => `${v.view} ${v.loadMs.median}`).join(', ')}); a further page of evidence ${forgeLarge.pageMs.median} ms`,
        met: slowestLoad <= 300,
      },
      ...largeBoardBudgets(large),
    ];
    const result: BenchResult = {
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1e9), os: `${platform()} ${release()}`, node: process.version },
      smoke,
      core,
      scaling,
      sync,
      forgeCache,
      forgeLarge,
      serve,
      large,
      budgets,
    };
    printTable(result, log);
    if (options.out) {
      mkdirSync(options.out, { recursive: true });
      const path = join(options.out, `${result.date.slice(0, 10)}${smoke ? '-smoke' : ''}.json`);
      writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
      log(`wrote ${path}`);
    }
    return result;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function printTable(r: BenchResult, log: (l: string) => void): void {
  log('');
  log('Core (median of repeated runs)');
  log('  teams   items    events   read ms   check ms   all metrics ms   end to end ms   peak MB   point queries/s   forecast 10k ms');
  for (const c of r.core) {
    log(
      `  ${pad(c.teams, 5)} ${pad(c.items, 7)} ${pad(c.events, 9)} ${pad(c.readMs.median, 9)} ${pad(c.parseMs.median, 10)} ${pad(c.allMetricsMs.median, 16)} ${pad(c.endToEndMs.median, 15)} ${pad(c.peakRssMb, 9)} ${pad(c.pointQueriesPerSecond, 17)} ${pad(c.monteCarlo10kMs.median, 17)}`,
    );
  }
  const big = r.core[r.core.length - 1]!;
  log(`  each metric alone at ${big.items} items (ms): ${Object.entries(big.perMetricMs).map(([k, v]) => `${k} ${v.median}`).join(', ')}`);
  log(`  scaling exponents: ${r.scaling.map((s) => `${s.from} -> ${s.to} items: ${s.exponent} (n log n ${s.nLogN})`).join('; ')}`);
  log('');
  log('Sync (simulated trackers)');
  for (const s of r.sync) {
    log(`  ${s.tracker}: ${s.items} items, ${s.latencyMs} ms/request: full ${s.full.requests} requests (minimum ${s.full.minimum}, +${s.full.overMinimumPct} %) in ${s.full.wallMs} ms; incremental ${s.incremental.map((i) => `k=${i.changed}: ${i.requests} req ${i.wallMs} ms`).join(', ')}`);
    const rl = s.rateLimited;
    log(`    rate-limited (429 on every ${RATE_LIMIT_EVERY}th request, Retry-After 1 s): ${rl.requests} requests, ${rl.rateLimited} x 429, ${rl.retries} retries, ${rl.waitedMs} ms waited, ${rl.wallMs} ms wall`);
  }
  log('');
  log(`Forge: gadget load from cache, ${r.forgeCache.items} items: median ${r.forgeCache.cachedLoadMs.median} ms, answer ${r.forgeCache.payloadKb} KB as it travels`);
  const fl = r.forgeLarge;
  log(`Forge, ${fl.items}-issue board (whole report ${fl.reportMb} MB): ${fl.views.map((v) => `${v.view} ${v.travelKb} KB, ${v.loadMs.median} ms`).join('; ')}; a further page ${fl.pageKb} KB, ${fl.pageMs.median} ms`);
  log(`serve: ${r.serve.requests} requests at concurrency ${r.serve.concurrency}: p50 ${r.serve.p50Ms} ms, p95 ${r.serve.p95Ms} ms, max ${r.serve.maxMs} ms, ${r.serve.requestsPerSecond} req/s`);
  log('');
  printLarge(r.large, log);
  log('');
  log('Budgets');
  for (const b of r.budgets) log(`  ${b.met ? 'met   ' : 'MISSED'} ${b.budget}: ${b.measured}`);
}

function pad(v: number, w: number): string {
  return String(v).padStart(w);
}

if (require.main === module) {
  const smoke = process.argv.includes('--smoke');
  runBench({ smoke, out: join(__dirname, '..', 'results') }).catch((err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  });
}
