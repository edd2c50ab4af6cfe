import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { type LargeBoardMeasure, largeAdoTeam, largeJiraBoard } from './large-board';
import { scalingExponent } from './stats';

/**
 * The large-board part of `npm run bench` (docs/performance.md, "One large board"): Jira boards of 10 000,
 * 50 000 and 100 000 issues and one Azure DevOps team of 50 000 work items, each synced and computed by the
 * built CLI in processes of their own. `node bench/dist/large-bench.js` runs this part alone.
 */
export interface Budget {
  readonly budget: string;
  readonly measured: string;
  readonly met: boolean;
}

/** The issue's budgets per Jira size: `metrics --offline` end to end, and its peak memory. */
export const JIRA_SIZES: readonly { readonly items: number; readonly seconds: number; readonly mb?: number }[] = [
  { items: 10_000, seconds: 1 },
  { items: 50_000, seconds: 3, mb: 800 },
  { items: 100_000, seconds: 6, mb: 1500 },
];
/** The Azure DevOps team, held to the 50 000-issue board's budgets. */
export const ADO_ITEMS = 50_000;
/** The size whose sync is held to the sync budgets. */
const SYNC_SIZE = 50_000;

export async function largeBoards(options: {
  smoke: boolean;
  work: string;
  log: (l: string) => void;
  /** Which of JIRA_SIZES to run (all unless given; the smoke run has one tiny board, measured as the first). */
  sizes?: readonly number[];
  /** Whether to run the Azure DevOps team (default true). */
  ado?: boolean;
}): Promise<LargeBoardMeasure[]> {
  const { smoke, work, log } = options;
  const run = { smoke, work, log, repeats: smoke ? 1 : 3, ks: smoke ? [1] : [10, 1000] };
  const out: LargeBoardMeasure[] = [];
  const sizes = smoke ? [JIRA_SIZES[0]!] : JIRA_SIZES.filter((s) => !options.sizes || options.sizes.includes(s.items));
  for (const size of sizes) {
    log(`large board: Jira, about ${size.items} issues...`);
    out.push(await largeJiraBoard(size.items, run));
  }
  if (options.ado ?? true) {
    log(`large board: Azure DevOps, about ${ADO_ITEMS} work items...`);
    out.push(await largeAdoTeam(ADO_ITEMS, run));
  }
  return out;
}

/** The budget size a measured board was made for: the nearest of JIRA_SIZES (the smoke board counts as the first). */
function budgetSize(m: LargeBoardMeasure): (typeof JIRA_SIZES)[number] {
  return JIRA_SIZES.reduce((best, s) => (Math.abs(s.items - m.shape.items) < Math.abs(best.items - m.shape.items) ? s : best));
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Each Jira measure against the budget of its size (by position: the smoke run has only the first size). */
export function largeBoardBudgets(large: readonly LargeBoardMeasure[]): Budget[] {
  const jira = large.filter((l) => l.tracker === 'jira');
  const ado = large.find((l) => l.tracker === 'azure-devops');
  const budgets: Budget[] = jira.map((m) => {
    const size = budgetSize(m);
    const wall = m.metrics.wallMs.median;
    return {
      budget: `Jira board of ${size.items} issues: metrics --offline end to end under ${size.seconds} s${size.mb ? ` and ${size.mb} MB` : ''}`,
      measured: `${seconds(wall)} (CPU ${seconds(m.metrics.cpuMs.median)}, load ${m.metrics.load.join('/')}), ${m.metrics.peakRssMb} MB for ${m.shape.items} issues / ${m.shape.histories} histories`,
      met: wall <= size.seconds * 1000 && (size.mb === undefined || m.metrics.peakRssMb <= size.mb),
    };
  });
  const growth = jira.slice(1).map((m, i) => ({ from: jira[i]!, to: m, exponent: scalingExponent(jira[i]!.shape.histories, jira[i]!.metrics.wallMs.median, m.shape.histories, m.metrics.wallMs.median) }));
  budgets.push({
    budget: 'metrics --offline time grows linearly in the histories (exponent at most 1.1)',
    measured: growth.map((g) => `${g.from.shape.histories} -> ${g.to.shape.histories} histories: ${g.exponent}`).join('; ') || 'one size only',
    met: growth.every((g) => g.exponent <= 1.1),
  });
  if (ado) {
    budgets.push({
      budget: `Azure DevOps team of ${ADO_ITEMS} work items: metrics --offline end to end under 3 s and 800 MB`,
      measured: `${seconds(ado.metrics.wallMs.median)} (CPU ${seconds(ado.metrics.cpuMs.median)}, load ${ado.metrics.load.join('/')}), ${ado.metrics.peakRssMb} MB for ${ado.shape.items} work items / ${ado.shape.histories} revisions`,
      met: ado.metrics.wallMs.median <= 3000 && ado.metrics.peakRssMb <= 800,
    });
  }
  const sync = jira.find((m) => budgetSize(m).items === SYNC_SIZE) ?? jira[jira.length - 1];
  if (sync) {
    const { full, unchanged, changed } = sync.sync;
    budgets.push(
      {
        budget: `Jira full sync of ${sync.shape.items} issues: requests within 1.1 x the floor, peak memory under 1 GB`,
        measured: `${full.requests} requests vs a floor of ${full.minimum} (+${full.overMinimumPct} %), ${full.peakRssMb} MB, ${seconds(full.wallMs)}`,
        met: full.requests <= 1.1 * full.minimum && full.peakRssMb <= 1024,
      },
      { budget: 'Jira sync after nothing changed: at most 25 requests', measured: `${unchanged.requests} requests, ${seconds(unchanged.wallMs)}`, met: unchanged.requests <= 25 },
      {
        budget: 'Jira sync after k changed issues: requests grow with k, not with the board',
        measured: changed.map((c) => `k=${c.k}: ${c.requests} requests, ${seconds(c.wallMs)}`).join('; '),
        met: changed.every((c, i) => c.requests < full.requests && (i === 0 || c.requests >= changed[i - 1]!.requests)),
      },
    );
  }
  return budgets;
}

export function printLarge(large: readonly LargeBoardMeasure[], log: (l: string) => void): void {
  log('One large board (the built CLI, each run its own process)');
  log('  tracker         items  histories  per item  sprints  flagged %  carried %  store MB   metrics --offline: wall (CPU), median  peak MB  output MB  load at start  re-mapped');
  for (const m of large) {
    const s = m.shape;
    log(
      `  ${m.tracker.padEnd(13)} ${pad(s.items, 7)} ${pad(s.histories, 10)} ${pad(s.historiesPerItem, 9)} ${pad(s.sprints, 8)} ${pad(s.flaggedPct, 10)} ${pad(s.carriedOverPct, 10)} ${pad(m.storeMb, 9)} ${pad(`${seconds(m.metrics.wallMs.median)} (${seconds(m.metrics.cpuMs.median)})`, 36)} ${pad(m.metrics.peakRssMb, 8)} ${pad(m.metrics.outputMb, 10)}  load ${m.metrics.load.join('/')}  ${m.remapped ? `${seconds(m.remapped.wallMs)}, ${m.remapped.peakRssMb} MB` : '-'}`,
    );
  }
  for (const m of large) {
    const { full, unchanged, changed } = m.sync;
    log(
      `  ${m.tracker} ${m.shape.items}: full sync ${full.requests} requests (floor ${full.minimum}, +${full.overMinimumPct} %) ${seconds(full.wallMs)} ${full.peakRssMb} MB; ` +
        `unchanged ${unchanged.requests} requests ${seconds(unchanged.wallMs)}; ${changed.map((c) => `k=${c.k}: ${c.requests} requests ${seconds(c.wallMs)} ${c.peakRssMb} MB`).join(', ')}`,
    );
  }
}

function pad(v: number | string, w: number): string {
  return String(v).padStart(w);
}

if (require.main === module) {
  // node bench/dist/large-bench.js [--smoke] [--sizes 10000,50000] [--no-ado]
  const argv = process.argv.slice(2);
  const smoke = argv.includes('--smoke');
  const sizesArg = argv[argv.indexOf('--sizes') + 1];
  const sizes = argv.includes('--sizes') && sizesArg ? sizesArg.split(',').map(Number) : undefined;
  const unknown = sizes?.filter((n) => !JIRA_SIZES.some((s) => s.items === n));
  if (unknown?.length) {
    process.stderr.write(`--sizes takes some of ${JIRA_SIZES.map((s) => s.items).join(',')}, not ${unknown.join(',')}\n`);
    process.exit(2);
  }
  const log = (l: string) => process.stdout.write(`${l}\n`);
  const work = mkdtempSync(join(tmpdir(), 'agile-kpi-bench-large-'));
  largeBoards({ smoke, work, log, sizes, ado: !argv.includes('--no-ado') })
    .then((large) => {
      printLarge(large, log);
      const budgets = largeBoardBudgets(large);
      for (const b of budgets) log(`  ${b.met ? 'met   ' : 'MISSED'} ${b.budget}: ${b.measured}`);
      const dir = join(__dirname, '..', 'results');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `${new Date().toISOString().slice(0, 10)}-large${smoke ? '-smoke' : ''}.json`);
      const machine = { cpus: cpus().length, cpu: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1e9), os: `${platform()} ${release()}`, node: process.version };
      writeFileSync(path, `${JSON.stringify({ date: new Date().toISOString(), machine, large, budgets }, null, 2)}\n`);
      log(`wrote ${path}`);
    })
    .catch((err) => {
      process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exitCode = 1;
    })
    .finally(() => rmSync(work, { recursive: true, force: true }));
}
