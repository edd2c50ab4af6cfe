import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeMetrics, parseInstant, parseSnapshot, type DataWarning, type WorkItem } from '@agile-kpi/core';
import type { BoardContext } from './discover-board';
import { mapJiraBoard } from './map-board';
import { mapIssue, mappingContext } from './map-issue';
import type { StoredIssue } from './sync-board';
import { sortHistories } from './collect';
import type { JiraHistory, JiraSprint } from './wire';

/**
 * Mapping on REAL Jira Cloud responses (test/fixtures/jira: DevLake's board 8, jirametrics' scrum issues).
 * Real data is messy: status ids from 2020 missing from the 2022 status list, a story point value "-1",
 * Chinese type names, histories newest first. None of it may crash; all of it must be warned.
 */
const FIXTURES = join(__dirname, '..', '..', '..', 'test', 'fixtures', 'jira');
const read = (p: string) => JSON.parse(readFileSync(join(FIXTURES, p), 'utf8'));

interface RawIssue {
  id: string;
  key: string;
  fields: Record<string, unknown>;
  changelog: { histories: JiraHistory[] };
}

function stored(raw: RawIssue): StoredIssue {
  const { description, ...fields } = raw.fields;
  return { id: raw.id, key: raw.key, fields: { ...fields, described: description != null }, histories: sortHistories(raw.changelog.histories) };
}

const devlakeContext: BoardContext = {
  boardId: 8,
  boardName: 'EE board',
  boardType: 'scrum',
  projectKey: 'EE',
  filterJql: 'project = EE',
  // DevLake's fixtures carry no board configuration: one column per category is enough to map.
  columns: [],
  statuses: (read('devlake/statuses_api2_status.json') as { id: string; name: string; statusCategory: { key: string } }[]).map((s) => ({
    id: s.id,
    name: s.name,
    categoryKey: s.statusCategory.key,
  })),
  issueTypes: (read('devlake/issuetypes_api3.json') as { id: string; name: string; untranslatedName?: string; subtask: boolean; hierarchyLevel?: number }[]).map((t) => ({
    id: t.id,
    name: t.name,
    ...(t.untranslatedName ? { untranslatedName: t.untranslatedName } : {}),
    subtask: t.subtask,
    ...(t.hierarchyLevel !== undefined ? { hierarchyLevel: t.hierarchyLevel } : {}),
  })),
  fields: { sprint: 'customfield_10020', estimate: 'customfield_10024', estimateKind: 'points', flagged: 'customfield_10021', rank: 'customfield_10019' },
  userTimeZone: 'Asia/Shanghai',
};

const last = <T>(tl: readonly { value: T }[]) => tl[tl.length - 1]!.value;

describe('mapping DevLake board 8 (real Jira Cloud data)', () => {
  const raws = read('devlake/board8_issues_expand_changelog.json') as RawIssue[];
  const sprints = read('devlake/board8_sprints.json') as JiraSprint[];
  const warnings: DataWarning[] = [];
  const ctx = mappingContext(devlakeContext, 'https://merico.atlassian.net', ['Impediment'], sprints.map((s) => `jira:sprint:${s.id}`));
  const items = raws.map((r) => mapIssue(stored(r), ctx, (w) => warnings.push(w)));
  const byKey = new Map(items.map((i) => [i.key, i]));

  it('replaying each reconstructed history ends at the issue as Jira shows it today', () => {
    for (const [n, raw] of raws.entries()) {
      const item = items[n]!;
      const f = raw.fields as { status: { id: string }; labels: string[]; fixVersions: { id: string }[]; customfield_10020: { id: number }[] | null };
      expect([item.key, last(item.status).id]).toEqual([raw.key, f.status.id]);
      expect([item.key, [...last(item.labels)].sort()]).toEqual([raw.key, [...f.labels].sort()]);
      expect([item.key, [...last(item.releases)].sort()]).toEqual([raw.key, f.fixVersions.map((v) => `jira:version:${v.id}`).sort()]);
      expect([item.key, [...last(item.sprints)].sort()]).toEqual([raw.key, (f.customfield_10020 ?? []).map((s) => `jira:sprint:${s.id}`).sort()]);
    }
  });

  it("reads EE-1's history exactly (status ids, sprint id lists, fix versions, offsets without a colon)", () => {
    const ee1 = byKey.get('EE-1')!;
    const raw = raws.find((r) => r.key === 'EE-1')!;
    const statusItems = sortHistories(raw.changelog.histories).flatMap((h) => h.items.filter((i) => i.fieldId === 'status').map((i) => [h.created, i.to]));
    expect(ee1.status.slice(1).map((c) => [c.at, c.value.id])).toEqual(statusItems);
    expect(ee1.status[0]!.at).toBe(raw.fields['created']);
    // Instants like "2020-06-17T13:04:03.848+0800" are read exactly.
    expect(parseInstant(ee1.createdAt)).toBe(Date.parse((raw.fields['created'] as string).replace(/(\d{2})(\d{2})$/, '$1:$2')));
    const sprintItems = sortHistories(raw.changelog.histories).flatMap((h) => h.items.filter((i) => i.fieldId === 'customfield_10020'));
    expect(sprintItems.length).toBeGreaterThan(0);
    expect(ee1.sprints.slice(1).map((c) => c.value)).toEqual(sprintItems.map((i) => (i.to ? i.to.split(', ').map((s) => `jira:sprint:${s}`) : [])));
  });

  it('warns about messy values instead of crashing', () => {
    const codes = new Set(warnings.map((w) => w.code));
    expect(codes.has('estimate-not-a-number')).toBe(true);
    expect(warnings.find((w) => w.code === 'estimate-not-a-number')!.itemKey).toBe('EE-1');
    expect(byKey.get('EE-1')!.estimate.every((c) => c.value === null)).toBe(true);
    expect(codes.has('unknown-status')).toBe(true);
    // Status 10000 ("To Do", 2020) is gone from the 2022 list, where five statuses are named "To Do" (projects each
    // have their own, all in the To Do category here, so any of them reads the same): the one read is said.
    const byName = warnings.find((w) => w.code === 'status-matched-by-name' && w.message.includes('status 10000 '));
    expect(byName?.message).toMatch(/status 10000 is not in the site's status list; read as the status named "To Do" \(\d+\)$/);
  });

  it('keeps the original type names beside the kinds (sub-tasks by flag, epics by level)', () => {
    const kinds = new Map(items.map((i) => [i.type.original, i.type.kind]));
    expect(kinds.get('子任务')).toBe('subtask');
    // The site speaks Chinese: its types are classified by their English (untranslated) names.
    expect([kinds.get('故事'), kinds.get('缺陷'), kinds.get('任务')]).toEqual(['story', 'bug', 'task']);
    expect(items.filter((i) => i.type.kind === 'subtask').every((i) => i.parentId?.startsWith('jira:issue:'))).toBe(true);
  });

  it('gives a snapshot the core accepts and computes metrics over', () => {
    const snapshot = mapJiraBoard(
      {
        site: 'https://merico.atlassian.net',
        context: devlakeContext,
        issues: raws.map(stored),
        sprints,
        versions: [],
        versionSnapshots: [],
        syncedAt: '2022-06-01T00:00:00.000Z',
      },
      {},
    );
    const parsed = parseSnapshot(JSON.parse(JSON.stringify(snapshot)));
    expect(parsed.items).toHaveLength(30);
    expect(parsed.sprints).toHaveLength(sprints.length);
    expect(parsed.team.timeZone).toBe('Asia/Shanghai');
    const report = computeMetrics(parsed, { velocity: { historyCount: 100 } });
    const s7 = report.velocity.details.sprints.find((s) => s.sprintId === 'jira:sprint:7')!;
    // Sprint 7 ran 2020-06-12 -> 2020-06-22; every issue that was in it at its start is committed.
    const inAtStart = parsed.items.filter((i) => {
      const t = parseInstant(s7.startAt);
      const at = [...i.sprints].reverse().find((c) => parseInstant(c.at) <= t);
      return at?.value.includes('jira:sprint:7') && i.type.kind !== 'subtask';
    });
    expect(s7.committed.items + s7.completedOutside.items).toBe(inAtStart.length);
  });
});

describe('mapping jirametrics scrum issues (real Jira Cloud data)', () => {
  const ctx = mappingContext(
    {
      boardId: 1,
      boardName: 'SP board',
      boardType: 'scrum',
      filterJql: 'project = SP',
      columns: (read('jirametrics/testdata/sample_board_1_configuration.json') as { columnConfig: { columns: { name: string; statuses: { id: string }[] }[] } }).columnConfig.columns.map((c) => ({
        name: c.name,
        statusIds: c.statuses.map((s) => s.id),
      })),
      statuses: (read('jirametrics/testdata/sample_statuses.json') as { id: string; name: string; statusCategory: { key: string } }[]).map((s) => ({ id: s.id, name: s.name, categoryKey: s.statusCategory.key })),
      issueTypes: [],
      fields: { sprint: 'customfield_10020', estimate: 'customfield_10036', estimateKind: 'points', flagged: 'customfield_10021' },
    },
    'https://improvingflow.atlassian.net',
    ['Impediment'],
    ['jira:sprint:3'],
  );
  const map = (key: string): WorkItem => mapIssue(stored(read(`jirametrics/testdata/${key}.json`)), ctx, () => {});

  it('reads a flagged interval on and off', () => {
    expect(map('SP-10').flagged.map((c) => [c.at, c.value])).toEqual([
      [expect.any(String), false],
      ['2021-09-06T04:33:30.647+0000', true],
      ['2021-09-06T04:33:55.539+0000', false],
    ]);
  });

  it('reads story points from toString and sprint ids from the cumulative list', () => {
    const sp13 = map('SP-13');
    expect(sp13.estimate.map((c) => c.value)).toEqual([null, 13]);
    expect(sp13.estimate[1]!.at).toBe('2022-04-15T00:52:51.009+0000');
    expect(sp13.sprints.map((c) => c.value)).toEqual([[], ['jira:sprint:3']]);
  });

  it('maps statuses to the board columns', () => {
    const sp14 = map('SP-14');
    expect(sp14.status.map((c) => [c.value.name, c.value.category, c.value.column])).toEqual([
      ['Backlog', 'todo', 'Backlog'],
      ['In Progress', 'in_progress', 'In Progress'],
      ['Done', 'done', 'Done'],
    ]);
  });
});
