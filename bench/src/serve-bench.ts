import { dashboardApi, memorySource, startDashboardServer, throughJira } from '@agile-kpi/cli';
import { type Snapshot, parseSnapshot } from '@agile-kpi/core';
import { quantile } from 'simple-statistics';
import { simulateTeam } from '@agile-kpi/testkit';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `agile-kpi serve`'s metrics API under concurrent requests: latency percentiles. */
export interface ServeMeasure {
  readonly concurrency: number;
  readonly requests: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
  readonly requestsPerSecond: number;
}

export async function serveBench(concurrency: number, requests: number): Promise<ServeMeasure> {
  const snapshot = parseSnapshot(await throughJira(simulateTeam({ seed: 42 }))) as Snapshot;
  const web = mkdtempSync(join(tmpdir(), 'agile-kpi-bench-web-'));
  writeFileSync(join(web, 'index.html'), '<!doctype html>');
  const server = await startDashboardServer({ api: dashboardApi(memorySource(snapshot, { id: 'demo', name: 'Demo' })), webRoot: web });
  try {
    const latencies: number[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests) {
          next++;
          const t = process.hrtime.bigint();
          const r = await fetch(`${server.url}/api/metrics`);
          await r.arrayBuffer();
          if (!r.ok) throw new Error(`HTTP ${r.status}`);
          latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
        }
      }),
    );
    const seconds = (Date.now() - started) / 1000;
    const r2 = (x: number) => Math.round(x * 10) / 10;
    return { concurrency, requests, p50Ms: r2(quantile(latencies, 0.5)), p95Ms: r2(quantile(latencies, 0.95)), maxMs: r2(Math.max(...latencies)), requestsPerSecond: r2(requests / seconds) };
  } finally {
    await server.close();
  }
}
