import { type DataWarning, type MetricsReport, type Snapshot, computeMetrics, parseSnapshot } from '@agile-kpi/core';
import type { ScopeStore } from '@agile-kpi/store';
import type { WireTamper } from '@agile-kpi/testkit';

/** What the malformed-wire tests need of a tracker's harness. */
export interface TamperedSync<R> {
  tamper(fn: WireTamper): void;
  scope(): ScopeStore;
  sync(scope: ScopeStore): Promise<R>;
  snapshot(scope: ScopeStore, asOf?: string): Promise<Snapshot>;
}

/**
 * Syncs the same board twice into fresh scopes: once as `broken` tampers it (records the adapter cannot read),
 * once as `clean` tampers it (those records left out), and computes every KPI of both at one instant.
 */
export async function syncBrokenAndClean<R>(h: TamperedSync<R>, broken: WireTamper, clean: WireTamper) {
  const run = async (tamper: WireTamper, asOf?: string) => {
    h.tamper(tamper);
    const scope = h.scope();
    const result = await h.sync(scope);
    const snapshot = await h.snapshot(scope, asOf);
    return { scope, result, snapshot, report: computeMetrics(parseSnapshot(JSON.parse(JSON.stringify(snapshot)))) };
  };
  const a = await run(broken);
  const b = await run(clean, a.snapshot.asOf);
  return { brokenScope: a.scope, result: a.result, warnings: a.snapshot.warnings as readonly DataWarning[], broken: a.report, clean: b.report };
}

/** Every KPI's figures and what they rest on (not its warnings, which name the skipped records). */
export function figures(r: MetricsReport) {
  return Object.fromEntries(
    (['velocity', 'sprintGoalRate', 'impedimentResolutionTime', 'sprintProgress', 'backlogHealth', 'releasePredictability', 'flow'] as const).map((k) => [
      k,
      { value: r[k].value, evidence: r[k].evidence, excluded: r[k].excluded, details: r[k].details },
    ]),
  );
}
