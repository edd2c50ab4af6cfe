import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkItem } from '@agile-kpi/core';
import { loadJiraBoard, mapJiraBoard } from '@agile-kpi/jira';
import { openStore } from '@agile-kpi/store';
import { type CapturedJira, startCapturedJira } from '@agile-kpi/testkit';
import { agileKpiAsync, buildOnce } from '../cli/built-cli';
import { type CapturedBoardCase, devlakeBoard8, jirametricsKanban, jirametricsTestdata } from './captured-boards';

/**
 * Real Jira Cloud payloads end to end: each captured board (test/fixtures/jira) is served as captured by the replay
 * server and read by the built CLI (`agile-kpi metrics --source jira`), bulkfetch sending `created` as epoch
 * milliseconds (as Jira Cloud does) and as the captured ISO strings. Every finished issue's lead time must equal its
 * payload's last entry to the done column minus `created`, worked out here from the raw JSON alone.
 */

const DAY_MS = 86_400_000;

interface RawHistory {
  id: string;
  created: string;
  items: { field: string; fieldId?: string; from?: string | null; to?: string | null }[];
}
interface RawIssue {
  id: string;
  key: string;
  fields: {
    created: string;
    status: { id: string };
    issuetype: { name: string; subtask?: boolean; hierarchyLevel?: number };
    project?: { key: string };
  };
  changelog: { histories: RawHistory[] };
}

/** The oracle's own instant reader: ISO-8601 with `Z`, `+08:00` or Jira's `+0800`. */
function ms(iso: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an instant: ${iso}`);
  const zone = m[2] === 'Z' ? 'Z' : `${m[2]!.slice(0, 3)}:${m[2]!.slice(-2)}`;
  return Date.parse(`${m[1]}${zone}`);
}

function rawIssues(c: CapturedBoardCase): RawIssue[] {
  return c.capture.issues.flatMap((t) => {
    const v = JSON.parse(t) as RawIssue | RawIssue[];
    return Array.isArray(v) ? v : [v];
  });
}

/**
 * The expected finished issues and their exact lead times in days. Done column: the rightmost column of the board
 * configuration. Finished: the current status is in it (sub-tasks and epics are not flow items). Entry: the last
 * status change that moved the issue from a status outside the done column to one inside it (a move between two
 * statuses of the done column, such as DevLake's 2021 workflow migration from Closed to 已完成, is no new entry);
 * an issue that never moved in was created there.
 */
function expectedLeadTimes(c: CapturedBoardCase): Map<string, number> {
  const columns = (JSON.parse(c.capture.configuration) as { columnConfig: { columns: { statuses: { id: string | number }[] }[] } }).columnConfig.columns;
  const done = new Set(columns[columns.length - 1]!.statuses.map((s) => String(s.id)));
  const out = new Map<string, number>();
  for (const issue of rawIssues(c)) {
    const type = issue.fields.issuetype;
    if (!done.has(issue.fields.status.id) || type.subtask === true || (type.hierarchyLevel ?? 0) >= 1) continue;
    const created = ms(issue.fields.created);
    const changes = [...issue.changelog.histories]
      .sort((a, b) => ms(a.created) - ms(b.created) || Number(a.id) - Number(b.id))
      .flatMap((h) => h.items.filter((i) => i.fieldId === 'status' || i.field === 'status').map((i) => ({ at: ms(h.created), from: String(i.from), to: String(i.to) })));
    let entry = created;
    for (const ch of changes) if (done.has(ch.to) && !done.has(ch.from)) entry = ch.at;
    expect(entry).toBeGreaterThanOrEqual(created);
    out.set(issue.key, (entry - created) / DAY_MS);
  }
  return out;
}

interface Report {
  warnings: { code: string; message: string; itemKey?: string }[];
  flow: { details: { windowStart: string; finished: { key: string; leadDays: number }[] } };
}

const CASES: readonly (() => CapturedBoardCase)[] = [devlakeBoard8, jirametricsKanban, jirametricsTestdata];

interface CaseRun {
  readonly jira: CapturedJira;
  readonly dir: string;
  readonly env: Record<string, string>;
  readonly run: { code: number | null; stdout: string; stderr: string };
  readonly report: Report;
  /** The snapshot's work items `metrics` computed from: the synced store, mapped as the CLI maps it. */
  readonly items: readonly WorkItem[];
  close(): Promise<void>;
}

/**
 * Serves a capture and runs `agile-kpi metrics --source jira` on it once, as at the capture's instant, with a flow
 * window that reaches back before the first issue was created (so every finished issue is in it).
 */
async function syncAndMeasure(c: CapturedBoardCase, bulkfetchCreated: 'epoch-ms' | 'iso'): Promise<CaseRun> {
  const weeks = Math.ceil((ms(c.capturedAt) - Math.min(...rawIssues(c).map((i) => ms(i.fields.created)))) / (7 * DAY_MS)) + 2;
  const jira = await startCapturedJira(c.capture, { bulkfetchCreated, now: c.capturedAt });
  const dir = mkdtempSync(join(tmpdir(), 'agile-kpi-real-jira-'));
  const env = { JIRA_URL: jira.url, JIRA_EMAIL: jira.email, JIRA_API_TOKEN: jira.apiToken, AGILE_KPI_STORE: join(dir, 'store.sqlite') };
  const args = ['metrics', '--source', 'jira', '--board', String(boardIdOf(c)), '--format', 'json', '--as-of', c.capturedAt, '--time-zone', c.timeZone, '--flow-weeks', String(weeks)];
  const run = await agileKpiAsync(args, env);
  const store = openStore(env.AGILE_KPI_STORE);
  let items: readonly WorkItem[] = [];
  try {
    const data = await loadJiraBoard(store.scope({ source: 'jira', site: jira.url, scope: String(boardIdOf(c)) }), jira.url);
    items = data ? mapJiraBoard(data, { timeZone: c.timeZone }).items : [];
  } finally {
    store.close();
  }
  return {
    jira,
    dir,
    env,
    run,
    report: JSON.parse(run.stdout || '{}') as Report,
    items,
    async close() {
      await jira.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const boardIdOf = (c: CapturedBoardCase) => (JSON.parse(c.capture.board) as { id: number }).id;

beforeAll(() => buildOnce());

describe.each(['epoch-ms', 'iso'] as const)('real Jira payloads, bulkfetch created as %s', (bulkfetchCreated) => {
  describe.each(CASES.map((make) => [make().name, make] as const))('%s', (_name, make) => {
    const c = make();
    const issues = rawIssues(c);
    const sprints = c.capture.sprints ? (JSON.parse(c.capture.sprints) as unknown[]).length : 0;
    const versions = Object.values(c.capture.versions ?? {}).reduce((n, v) => n + (JSON.parse(v) as unknown[]).length, 0);
    const boardId = boardIdOf(c);
    let r: CaseRun;

    beforeAll(async () => {
      r = await syncAndMeasure(c, bulkfetchCreated);
    });
    afterAll(() => r?.close());

    it('syncs every captured issue, sprint and version, skips none, and exits 0', () => {
      expect(r.run.stderr).not.toMatch(/skipped|agile-kpi:/);
      expect(r.run.code).toBe(0);
      expect(r.run.stderr).toMatch(
        new RegExp(`^synced board ${boardId} \\(full\\): ${issues.length} issues read, ${issues.length} changelogs fetched, 0 removed, ${sprints} sprints, ${versions} versions; \\d+ requests$`, 'm'),
      );
      // The histories came through bulkfetch, not the per-issue fallback.
      expect(r.jira.requests.count('bulkfetch')).toBeGreaterThan(0);
      expect(r.jira.requests.count('changelog')).toBe(0);
    });

    it('gives every finished issue the lead time of its payload: last entry to the done column minus created', () => {
      const expected = expectedLeadTimes(c);
      expect(expected.size).toBeGreaterThan(0);
      const finished = r.report.flow.details.finished;
      expect(finished.map((f) => f.key).sort()).toEqual([...expected.keys()].sort());
      for (const f of finished) {
        // The KPI rounds to two decimals (half up): only that much may differ.
        expect([f.key, Math.abs(f.leadDays - expected.get(f.key)!) <= 0.005 + 1e-9]).toEqual([f.key, true]);
      }
    });

    it("replays every issue's history, as it came over the wire, to the issue as the payload shows it today", () => {
      const byKey = new Map(r.items.map((i) => [i.key, i]));
      const last = <T>(tl: readonly { value: T }[]) => tl[tl.length - 1]!.value;
      for (const raw of issues) {
        const item = byKey.get(raw.key)!;
        const f = raw.fields as unknown as { status: { id: string }; labels: string[]; fixVersions: { id: string }[]; [k: string]: unknown };
        expect([raw.key, last(item.status).id]).toEqual([raw.key, f.status.id]);
        expect([raw.key, [...last(item.labels)].sort()]).toEqual([raw.key, [...f.labels].sort()]);
        expect([raw.key, [...last(item.releases)].sort()]).toEqual([raw.key, f.fixVersions.map((v) => `jira:version:${v.id}`).sort()]);
        // Every capture keeps its sprints in customfield_10020.
        const sprintsNow = ((f['customfield_10020'] as { id: number }[] | null | undefined) ?? []).map((s) => `jira:sprint:${s.id}`).sort();
        expect([raw.key, [...last(item.sprints)].sort()]).toEqual([raw.key, sprintsNow]);
        // As many status changes as the payload's changelog holds.
        const statusItems = raw.changelog.histories.flatMap((h) => h.items.filter((i) => i.fieldId === 'status'));
        expect([raw.key, item.status.length - 1]).toEqual([raw.key, statusItems.length]);
      }
      expect(r.items).toHaveLength(issues.length);
    });

    // Once per board: the second sync reads no changelog, whatever form bulkfetch sends.
    if (bulkfetchCreated === 'epoch-ms') {
      it('a second sync asks only for what changed since (updated >= in the user zone) and finds nothing new', async () => {
        const again = await agileKpiAsync(['sync', '--board', String(boardId)], r.env);
        expect(again.code).toBe(0);
        expect(again.stderr).toMatch(new RegExp(`^synced board ${boardId} \\(incremental\\): 0 issues read, 0 changelogs fetched, 0 removed`, 'm'));
        const jqls = r.jira.requests.filter('search').map((q) => String((q.body as { jql?: unknown }).jql));
        expect(jqls.some((q) => /updated >= "\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}"/.test(q))).toBe(true);
      });
    }

    if (make === devlakeBoard8) {
      describe("DevLake's real mess comes out as warnings, not failures", () => {
        it('status ids of 2020 missing from the 2022 status list are named in warnings', () => {
          expect(r.run.code).toBe(0);
          const listed = new Set((JSON.parse(c.capture.statuses) as { id: string }[]).map((s) => s.id));
          const missing = new Set(
            issues.flatMap((i) => i.changelog.histories.flatMap((h) => h.items.filter((x) => x.fieldId === 'status').flatMap((x) => [x.from, x.to]))).filter((id): id is string => !!id && !listed.has(id)),
          );
          expect([...missing].sort()).toEqual(['10000', '10020', '10029', '5']);
          const warned = r.report.warnings.filter((w) => w.code === 'unknown-status').map((w) => /status (\S+) /.exec(w.message)?.[1]);
          expect(warned.length).toBeGreaterThan(0);
          for (const id of warned) expect(missing.has(id!)).toBe(true);
        });

        it('the story point value "-1" is a warning on its issue', () => {
          const raw = issues.find((i) => (i.fields as Record<string, unknown>)['customfield_10024'] === '-1')!;
          expect(raw.key).toBe('EE-1');
          expect(r.report.warnings.some((w) => w.code === 'estimate-not-a-number' && w.itemKey === 'EE-1')).toBe(true);
        });

        it('issue types named in Chinese are read (sub-tasks 子任务 are left out of flow, stories 故事 are in)', () => {
          const finished = new Set(r.report.flow.details.finished.map((f) => f.key));
          expect(issues.filter((i) => i.fields.issuetype.name === '子任务').some((i) => finished.has(i.key))).toBe(false);
          expect(issues.filter((i) => i.fields.issuetype.name === '故事').every((i) => finished.has(i.key))).toBe(true);
        });
      });
    }
  });
});
