import { runBench } from '../../bench/src/run';

/**
 * The benchmark's harness at a tiny size, so that `npm run bench` cannot rot unnoticed. Speed is judged by
 * the benchmark itself (docs/performance.md), never here: this checks only that every part ran and reported.
 * It starts some twenty processes of the built CLI and two simulated trackers: 2.4 minutes on a 2-core machine at
 * a load of 15, over Jest's default minute, hence its own timeout (a bound on a hang, not a judgement of speed).
 */
it('runs every part of the benchmark and reports every budget', async () => {
  const lines: string[] = [];
  const r = await runBench({ smoke: true, log: (l) => void lines.push(l) });
  expect(r.core.map((c) => c.teams)).toEqual([1, 2]);
  expect(r.core.every((c) => c.items > 0 && c.events > c.items && c.allMetricsMs.runs === 1)).toBe(true);
  expect(Object.keys(r.core[0]!.perMetricMs).sort()).toEqual(
    ['backlogHealth', 'flow', 'historyIndex', 'impedimentResolutionTime', 'releasePredictability', 'sprintGoalRate', 'sprintProgress', 'velocity'].sort(),
  );
  expect(r.sync.map((s) => s.tracker)).toEqual(['jira', 'azure-devops']);
  // The minimum is computed from the data the simulated tracker holds; the sync may not go below it.
  expect(r.sync.every((s) => s.full.requests >= s.full.minimum && s.incremental.length === 2)).toBe(true);
  // Under rate limiting every 429 was met and waited out as its Retry-After said (1 s each).
  expect(r.sync.every((s) => s.rateLimited.rateLimited >= 1 && s.rateLimited.waitedMs >= 1000 * s.rateLimited.rateLimited)).toBe(true);
  expect(r.forgeCache.items).toBeGreaterThan(0);
  expect(r.serve.requests).toBe(4);
  // The large board: each tracker synced and computed by the built CLI in processes of their own.
  expect(r.large.map((l) => l.tracker)).toEqual(['jira', 'azure-devops']);
  expect(r.large.every((l) => l.shape.items > 0 && l.metrics.wallMs.runs === 1 && l.metrics.peakRssMb > 0 && l.metrics.outputMb > 0)).toBe(true);
  expect(r.large.every((l) => l.sync.full.requests >= l.sync.full.minimum && l.sync.unchanged.requests > 0 && l.sync.changed.length === 1)).toBe(true);
  expect(r.large[0]!.remapped?.peakRssMb).toBeGreaterThan(0);
  // Forge at any board size: every view's answer from the cache, measured.
  expect(r.forgeLarge.views).toHaveLength(7);
  expect(r.forgeLarge.views.every((v) => v.travelKb > 0 && v.loadMs.runs === 1)).toBe(true);
  expect(r.budgets).toHaveLength(11 + 6);
  expect(lines.some((l) => l.startsWith('Budgets'))).toBe(true);
}, 10 * 60_000);
