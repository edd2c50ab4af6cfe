import { readFileSync } from 'node:fs';
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
import { type Measured, timeIt } from './stats';

/**
 * One size of the core benchmark, run in its own process so that its peak memory is its own: read the
 * organisation's snapshots (JSON, as `metrics --input` would), check them, compute every metric for every
 * team; then each metric alone, point-in-time queries, and a 10 000-trial forecast.
 */
export interface CoreSizeResult {
  readonly teams: number;
  readonly items: number;
  readonly events: number;
  readonly parseMs: Measured;
  readonly allMetricsMs: Measured;
  readonly perMetricMs: Readonly<Record<string, Measured>>;
  readonly pointQueriesPerSecond: number;
  readonly monteCarlo10kMs: Measured;
  readonly peakRssMb: number;
}

async function main(): Promise<void> {
  const [file, repeatsArg] = process.argv.slice(2);
  const repeats = Number(repeatsArg ?? 5);
  const raw = JSON.parse(readFileSync(file!, 'utf8')) as unknown[];
  let parsed: Snapshot[] = [];
  const parseMs = await timeIt(repeats, () => {
    parsed = raw.map((s) => parseSnapshot(s));
  });
  const items = parsed.reduce((a, s) => a + s.items.length, 0);
  const events = parsed.reduce((a, s) => a + s.items.reduce((b, i) => b + i.status.length + i.estimate.length + i.sprints.length + i.releases.length + i.flagged.length + i.labels.length, 0), 0);
  const allMetricsMs = await timeIt(repeats, () => {
    for (const s of parsed) computeMetrics(s);
  });
  const metrics = { velocity, sprintGoalRate, impedimentResolutionTime, sprintProgress, backlogHealth, releasePredictability, flow } as const;
  const perMetricMs: Record<string, Measured> = {};
  perMetricMs['historyIndex'] = await timeIt(repeats, () => parsed.forEach((s) => new HistoryIndex(s)));
  for (const [name, fn] of Object.entries(metrics)) {
    // Each alone: a fresh index per team, so no metric benefits from another's cached sprint scopes.
    const indexes = parsed.map((s) => new HistoryIndex(s));
    perMetricMs[name] = await timeIt(repeats, () => indexes.forEach((ix) => (fn as (i: HistoryIndex) => unknown)(ix)), false);
  }
  const index = new HistoryIndex(parsed[0]!);
  const t0 = parseInstant(parsed[0]!.items[0]!.createdAt);
  const t1 = parseInstant(parsed[0]!.asOf);
  let q = 0;
  const started = process.hrtime.bigint();
  const sprintIds = index.sprints.map((s) => s.sprint.id);
  while (Number(process.hrtime.bigint() - started) < 500e6) {
    for (let k = 0; k < 1000; k++) {
      const h = index.items[(q * 7919) % index.items.length]!;
      const t = t0 + ((q * 104729) % Math.max(1, t1 - t0));
      h.estimate.at(t);
      index.isDoneAt(h, t);
      if (k % 50 === 0 && sprintIds.length) index.membersAt(sprintIds[q % sprintIds.length]!, t);
      q++;
    }
  }
  const pointQueriesPerSecond = Math.round(q / (Number(process.hrtime.bigint() - started) / 1e9));
  const monteCarlo10kMs = await timeIt(repeats, () => monteCarlo({ samples: [21, 34, 28, 40, 31, 25], remaining: 400, trials: 10_000, seed: 42 }));
  const result: CoreSizeResult = {
    teams: parsed.length,
    items,
    events,
    parseMs,
    allMetricsMs,
    perMetricMs,
    pointQueriesPerSecond,
    monteCarlo10kMs,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(JSON.stringify(result));
}

void main().catch((err) => {
  process.stderr.write(String(err?.stack ?? err));
  process.exit(1);
});
