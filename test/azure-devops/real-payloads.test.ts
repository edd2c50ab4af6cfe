import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAdoTeam, mapAdoTeam } from '@agile-kpi/azure-devops';
import type { WorkItem } from '@agile-kpi/core';
import { openStore } from '@agile-kpi/store';
import { type CapturedAzureDevOps, startCapturedAzureDevOps } from '@agile-kpi/testkit';
import { agileKpiAsync, buildOnce } from '../cli/built-cli';
import { BUG_STATES, CAPTURED_AT, ITERATIONS, REVISIONS, example, examplesOrg } from './captured-org';

/**
 * Microsoft's example responses end to end: served as captured by the replay Azure DevOps (with the glue of
 * ./captured-org.ts), read by the built CLI (`agile-kpi metrics --source azure-devops`). The snapshot the CLI computes
 * from (its store, mapped as `metrics` maps it) must hold the example bug's history exactly as its 9 revisions say,
 * worked out here from the raw JSON alone; and the KPIs must read it. Once with the reporting feed up to date, once
 * with the feed 4 revisions behind (the item's history then comes from its own revisions, as captured).
 */

interface RawRevision {
  id: number;
  rev: number;
  fields: Record<string, unknown>;
}

const revisions = (JSON.parse(example(REVISIONS)) as { value: RawRevision[] }).value.sort((a, b) => a.rev - b.rev);
const created = String(revisions[0]!.fields['System.CreatedDate']);

/**
 * A field's history from the revisions: its value at creation, then each revision that changed it, stamped with that
 * revision's System.ChangedDate. Instants as epoch ms.
 */
function history<T>(read: (fields: Record<string, unknown>) => T): [number, T][] {
  const out: [number, T][] = [];
  for (const r of revisions) {
    const value = read(r.fields);
    if (out.length && JSON.stringify(out[out.length - 1]![1]) === JSON.stringify(value)) continue;
    out.push([Date.parse(String(r.rev === 1 ? created : r.fields['System.ChangedDate'])), value]);
  }
  return out;
}
const timeline = <T, U>(changes: readonly { at: string; value: T }[], read: (v: T) => U): [number, U][] => changes.map((c) => [Date.parse(c.at), read(c.value)]);

const sprintOfPath = new Map<string, string>(ITERATIONS.map((i) => [i.path, `ado:iteration:${i.id}`]));
const target = ['--project', 'MyAgilePro1', '--team', 'MyAgilePro1 Team'];

beforeAll(() => buildOnce());

describe.each([0, 4])('the example bug through the CLI, reporting feed %i revisions behind', (feedLag) => {
  let ado: CapturedAzureDevOps;
  let dir: string;
  let run: { code: number | null; stdout: string; stderr: string };
  let report: {
    warnings: unknown[];
    flow: { details: { aging: { key: string; status: string; startedAt: string }[] } };
    sprintProgress: { details: { days: { kind: string; date: string; scope: number | null; remaining: number | null }[] } };
  };
  let bug: WorkItem;

  beforeAll(async () => {
    ado = await startCapturedAzureDevOps(examplesOrg(), { now: CAPTURED_AT, feedLag });
    dir = mkdtempSync(join(tmpdir(), 'agile-kpi-real-ado-'));
    const store = join(dir, 'store.sqlite');
    run = await agileKpiAsync(['metrics', '--source', 'azure-devops', ...target, '--format', 'json', '--as-of', CAPTURED_AT, '--time-zone', 'UTC'], {
      AZURE_DEVOPS_ORG_URL: ado.url,
      AZURE_DEVOPS_PAT: ado.pat,
      AGILE_KPI_STORE: store,
    });
    report = JSON.parse(run.stdout || '{}') as typeof report;
    // The snapshot `metrics` computed from: the synced store, mapped as the CLI maps it.
    const opened = openStore(store);
    try {
      const data = await loadAdoTeam(opened.scope({ source: 'azure-devops', site: ado.url, scope: 'MyAgilePro1/MyAgilePro1 Team' }), ado.url);
      bug = mapAdoTeam(data!, { timeZone: 'UTC' }).items.find((i) => i.key === '1')!;
    } finally {
      opened.close();
    }
  });
  afterAll(async () => {
    await ado?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('syncs the one work item and its revisions (from the feed, or one by one what the feed lacks) and exits 0', () => {
    expect(run.stderr).not.toMatch(/skipped|agile-kpi:/);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(
      new RegExp(`^synced MyAgilePro1/MyAgilePro1 Team \\(full\\): 1 work items, ${revisions.length - feedLag} revisions read, 1 changed, ${feedLag ? 1 : 0} backfilled, 0 removed, 2 iterations;`, 'm'),
    );
    expect(ado.requests.count('revisions')).toBe(feedLag ? 1 : 0);
    expect(report.warnings).toEqual([]);
  });

  it("holds the bug's history exactly as its 9 revisions say", () => {
    expect(revisions.map((r) => r.rev)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const last = revisions[revisions.length - 1]!.fields;
    expect(bug).toMatchObject({ key: '1', title: last['System.Title'], type: { kind: 'bug', original: last['System.WorkItemType'] } });
    expect(Date.parse(bug.createdAt)).toBe(Date.parse(created));
    expect(Date.parse(bug.updatedAt)).toBe(Date.parse(String(last['System.ChangedDate'])));
    // State New, then Active from revision 3.
    expect(timeline(bug.status, (s) => s.name)).toEqual(history((f) => f['System.State']));
    // The iteration path: Iteration 1, then Iteration 2 from revision 3.
    expect(timeline(bug.sprints, (s) => s)).toEqual(history((f) => [sprintOfPath.get(String(f['System.IterationPath']))]));
    // Story points: none, then 3 from revision 5.
    expect(timeline(bug.estimate, (e) => e)).toEqual(history((f) => (f['Microsoft.VSTS.Scheduling.StoryPoints'] === undefined ? null : Number(f['Microsoft.VSTS.Scheduling.StoryPoints']))));
    // Tags: none, "beauty" from revision 3, a second tag from revision 9 (a set: compared sorted).
    const tags = (f: Record<string, unknown>) => String(f['System.Tags'] ?? '').split(';').map((t) => t.trim()).filter(Boolean).sort();
    expect(timeline(bug.labels, (l) => [...l].sort())).toEqual(history(tags));
    expect(timeline(bug.flagged, (b) => b)).toEqual(history((f) => f['Microsoft.VSTS.CMMI.Blocked'] === 'Yes'));
    // Its states' categories are the captured Bug states': New proposed, Active in progress.
    const categories = new Map((JSON.parse(example(BUG_STATES)) as { value: { name: string; category: string }[] }).value.map((s) => [s.name, s.category]));
    expect(bug.status.map((c) => [categories.get(c.value.name), c.value.category])).toEqual([
      ['Proposed', 'todo'],
      ['InProgress', 'in_progress'],
    ]);
  });

  it('reads it into the KPIs: work in progress since it became Active, 3 points in the running Iteration 2', () => {
    const activeAt = revisions.find((r) => r.fields['System.State'] === 'Active')!.fields['System.ChangedDate'];
    expect(report.flow.details.aging.map((a) => [a.key, a.status, Date.parse(a.startedAt)])).toEqual([['1', 'Active', Date.parse(String(activeAt))]]);
    const points = Number(revisions[revisions.length - 1]!.fields['Microsoft.VSTS.Scheduling.StoryPoints']);
    const today = report.sprintProgress.details.days.filter((d) => d.kind === 'day-end').pop()!;
    expect([today.date, today.scope, today.remaining]).toEqual([CAPTURED_AT.slice(0, 10), points, points]);
  });
});
