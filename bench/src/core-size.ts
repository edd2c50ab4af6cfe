import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  HistoryIndex,
  backlogHealth,
  computeMetrics,
  flow,
  impedimentResolutionTime,
  monteCarlo,
  parseInstant,
  parseSnapshot,
  releasePredictability,
  sprintGoalRate,
  sprintProgress,
  velocity,
  type Snapshot,
} from '@agile-kpi/core';
import { type Measured, measured, round } from './stats';

/**
 * One size of the core benchmark, run in its own process so that its peak memory is its own. The organisation
 * is a directory of one snapshot file per team, and it is computed as the product computes it (a report roll-up,
 * a scheduled run, `metrics --input` per team): team by team, read the file, check it, compute every metric,
 * keep the results and let the history go. Then each metric alone, point-in-time queries on one team, and a
 * 10 000-trial forecast.
 */
export interface CoreSizeResult {
  readonly teams: number;
  readonly items: number;
  readonly events: number;
  /** Reading and JSON-decoding every team's file. */
  readonly readMs: Measured;
  /** Checking every snapshot (parseSnapshot: schema, instants, consistency). */
  readonly parseMs: Measured;
  /** Every metric for every team (computeMetrics), excluding reading and checking. */
  readonly allMetricsMs: Measured;
  /** The whole organisation run: read, check, compute. */
  readonly endToEndMs: Measured;
  /** The first run in a fresh process (no JIT warm-up, cold caches). */
  readonly firstRunAllMetricsMs: number;
  readonly perMetricMs: Readonly<Record<string, Measured>>;
  readonly pointQueriesPerSecond: number;
  readonly monteCarlo10kMs: Measured;
  /** Peak resident memory of the organisation runs (before the per-metric and query parts). */
  readonly peakRssMb: number;
}

const METRICS = { velocity, sprintGoalRate, impedimentResolutionTime, sprintProgress, backlogHealth, releasePredictability, flow } as const;

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

/** Reads one team's file and checks it; returns the snapshot and the time of each step. */
function load(file: string): { snapshot: Snapshot; readMs: number; parseMs: number } {
  let t = process.hrtime.bigint();
  const raw = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  const readMs = ms(t);
  t = process.hrtime.bigint();
  const snapshot = parseSnapshot(raw);
  return { snapshot, readMs, parseMs: ms(t) };
}

async function main(): Promise<void> {
  const [dir, repeatsArg, warmUpsArg] = process.argv.slice(2);
  const repeats = Number(repeatsArg ?? 5);
  const warmUps = Number(warmUpsArg ?? 1);
  const files = readdirSync(dir!)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir!, f));

  let items = 0;
  let events = 0;
  const runs: { read: number; parse: number; compute: number; total: number }[] = [];
  for (let r = 0; r < warmUps + repeats; r++) {
    const run = { read: 0, parse: 0, compute: 0, total: 0 };
    const started = process.hrtime.bigint();
    for (const file of files) {
      const { snapshot, readMs, parseMs } = load(file);
      run.read += readMs;
      run.parse += parseMs;
      const t = process.hrtime.bigint();
      computeMetrics(snapshot);
      run.compute += ms(t);
      if (r === 0) {
        items += snapshot.items.length;
        events += snapshot.items.reduce((b, i) => b + i.status.length + i.estimate.length + i.sprints.length + i.releases.length + i.flagged.length + i.labels.length, 0);
      }
    }
    run.total = ms(started);
    runs.push(run);
  }
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const timed = runs.slice(warmUps);

  // Each metric alone, team by team: a fresh index per metric, so no metric benefits from another's cached
  // sprint scopes; only the metric's own call is timed.
  const perMetricSamples: Record<string, number[]> = { historyIndex: [] };
  for (const name of Object.keys(METRICS)) perMetricSamples[name] = [];
  for (let r = 0; r < Math.max(1, Math.min(repeats, 3)); r++) {
    const sums: Record<string, number> = {};
    for (const file of files) {
      const { snapshot } = load(file);
      let t = process.hrtime.bigint();
      new HistoryIndex(snapshot);
      sums['historyIndex'] = (sums['historyIndex'] ?? 0) + ms(t);
      for (const [name, fn] of Object.entries(METRICS)) {
        const index = new HistoryIndex(snapshot);
        t = process.hrtime.bigint();
        (fn as (i: HistoryIndex) => unknown)(index);
        sums[name] = (sums[name] ?? 0) + ms(t);
      }
    }
    for (const [k, v] of Object.entries(sums)) perMetricSamples[k]!.push(v);
  }
  const perMetricMs = Object.fromEntries(Object.entries(perMetricSamples).map(([k, v]) => [k, measured(v)]));

  const { snapshot: first } = load(files[0]!);
  const index = new HistoryIndex(first);
  const t0 = parseInstant(first.items[0]!.createdAt);
  const t1 = parseInstant(first.asOf);
  let q = 0;
  const started = process.hrtime.bigint();
  const sprintIds = index.sprints.map((s) => s.sprint.id);
  while (ms(started) < 500) {
    for (let k = 0; k < 1000; k++) {
      const h = index.items[(q * 7919) % index.items.length]!;
      const t = t0 + ((q * 104729) % Math.max(1, t1 - t0));
      h.estimate.at(t);
      index.isDoneAt(h, t);
      if (k % 50 === 0 && sprintIds.length) index.membersAt(sprintIds[q % sprintIds.length]!, t);
      q++;
    }
  }
  const pointQueriesPerSecond = Math.round(q / (ms(started) / 1000));
  const forecast: number[] = [];
  for (let r = 0; r < 1 + repeats; r++) {
    const t = process.hrtime.bigint();
    monteCarlo({ samples: [21, 34, 28, 40, 31, 25], remaining: 400, trials: 10_000, seed: 42 });
    if (r > 0) forecast.push(ms(t));
  }

  const result: CoreSizeResult = {
    teams: files.length,
    items,
    events,
    readMs: measured(timed.map((r) => r.read)),
    parseMs: measured(timed.map((r) => r.parse)),
    allMetricsMs: measured(timed.map((r) => r.compute)),
    endToEndMs: measured(timed.map((r) => r.total)),
    firstRunAllMetricsMs: round(runs[0]!.compute),
    perMetricMs,
    pointQueriesPerSecond,
    monteCarlo10kMs: measured(forecast),
    peakRssMb,
  };
  process.stdout.write(JSON.stringify(result));
}

void main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
