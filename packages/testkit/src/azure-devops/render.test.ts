import type { Change, WorkItem } from '@agile-kpi/core';
import type { SimulatedTeam } from '../ground-truth';
import { simulateTeam } from '../simulate-team';
import { azureDevOpsStateOf, workItemTypeOf } from './process';
import type { AzureDevOpsProcess } from './process';
import { renderAzureDevOpsSite } from './render';
import { AzureDevOpsSite, sprintFinishDate } from './site';
import { addDays } from './time';

/*
 * Rendering is the exact inverse for the fields it carries: a tiny reader, written independently of the renderer,
 * re-derives each item's state, iteration path, estimate, Blocked and tags timelines from the revisions as the
 * revisions endpoint gives them, and they must equal what the simulator's snapshot says.
 */

const team: SimulatedTeam = simulateTeam({ seed: 5, sprints: 6, itemsPerSprint: 8 });
const datesTeam: SimulatedTeam = simulateTeam({ seed: 6, sprints: 5, itemsPerSprint: 8, sprintCalendar: 'dates' });
const ms = (iso: string): number => Date.parse(iso);

type Point = [number, string];

/** The reader: one value per revision, consecutive repeats dropped. */
function read(revisions: readonly { fields: Record<string, unknown> }[], value: (fields: Record<string, unknown>) => string): Point[] {
  const out: Point[] = [];
  for (const r of revisions) {
    const v = value(r.fields);
    if (out.length === 0 || out[out.length - 1]![1] !== v) out.push([Date.parse(String(r.fields['System.ChangedDate'])), v]);
  }
  return out;
}

/** What the simulator says, rendered by hand: the value at creation, then at every later change instant. */
function expected(item: WorkItem, timelines: readonly (readonly Change<unknown>[])[], render: (at: number) => string): Point[] {
  const created = ms(item.createdAt);
  const instants = [...new Set(timelines.flat().map((c) => ms(c.at)).filter((t) => t > created))].sort((a, b) => a - b);
  const out: Point[] = [];
  for (const t of [created, ...instants]) {
    const v = render(t);
    if (out.length === 0 || out[out.length - 1]![1] !== v) out.push([t, v]);
  }
  return out;
}

function valueAt<T>(timeline: readonly Change<T>[], at: number, fallback: T): T {
  let v = fallback;
  for (const c of timeline) if (ms(c.at) <= at) v = c.value;
  return v;
}

const cases: [AzureDevOpsProcess, string, SimulatedTeam][] = [
  ['scrum', 'instants', team],
  ['agile', 'instants', team],
  ['scrum', 'dates', datesTeam],
];

describe.each(cases)('%s process, %s calendar: revisions are the inverse of the simulator', (process, _calendar, team) => {
  const sprintStart = new Map(team.snapshot.sprints.map((s) => [s.id, ms(s.startAt!)]));
  const sprintName = new Map(team.snapshot.sprints.map((s) => [s.id, s.name.replace(/^SIM /, '')]));
  const releaseName = new Map(team.snapshot.releases.map((r) => [r.id, r.name]));
  const site = renderAzureDevOpsSite([team], { process });
  const estimateField = process === 'scrum' ? 'Microsoft.VSTS.Scheduling.Effort' : 'Microsoft.VSTS.Scheduling.StoryPoints';

  it('renders every item, with one revision per change instant and increasing revs', () => {
    expect(site.workItems).toHaveLength(team.snapshot.items.length);
    for (const item of team.snapshot.items) {
      const id = site.idMap.workItems[item.id]!;
      const revisions = site.revisions[String(id)]!;
      expect(revisions.map((r) => r.rev)).toEqual(revisions.map((_, i) => i + 1));
      expect(revisions.map((r) => r.fields['System.Rev'])).toEqual(revisions.map((_, i) => i + 1));
      const changed = revisions.map((r) => Date.parse(r.fields['System.ChangedDate'] as string));
      expect(changed[0]).toBe(ms(item.createdAt));
      for (let i = 1; i < changed.length; i++) expect(changed[i]!).toBeGreaterThan(changed[i - 1]!);
      expect(new Set(revisions.map((r) => r.fields['System.CreatedDate'])).size).toBe(1);
      expect(revisions[0]!.fields['System.Title']).toBe(item.title);
    }
  });

  it.each(['state', 'iteration', 'estimate', 'blocked', 'tags'] as const)('%s timelines', (field) => {
    let compared = 0;
    for (const item of team.snapshot.items) {
      const type = workItemTypeOf(process, item.type.kind);
      const revisions = site.revisions[String(site.idMap.workItems[item.id])]!;
      let got: Point[];
      let want: Point[];
      switch (field) {
        case 'state':
          got = read(revisions, (f) => String(f['System.State']));
          want = expected(item, [item.status], (t) => {
            const s = valueAt(item.status, t, { name: 'To Do', category: 'todo' as const });
            return azureDevOpsStateOf(process, type.name, s.name, s.category);
          });
          break;
        case 'iteration':
          got = read(revisions, (f) => String(f['System.IterationPath']));
          want = expected(item, [item.sprints], (t) => {
            const set = valueAt<readonly string[]>(item.sprints, t, []);
            if (set.length === 0) return 'SIM';
            const latest = [...set].sort((a, b) => sprintStart.get(b)! - sprintStart.get(a)!)[0]!;
            return `SIM\\${sprintName.get(latest)}`;
          });
          break;
        case 'estimate':
          got = read(revisions, (f) => String(f[estimateField] ?? 'none'));
          want = expected(item, [item.estimate], (t) => (type.estimated ? String(valueAt(item.estimate, t, null) ?? 'none') : 'none'));
          break;
        case 'blocked':
          got = read(revisions, (f) => (f['Microsoft.VSTS.CMMI.Blocked'] === 'Yes' ? 'true' : f['Microsoft.VSTS.CMMI.Blocked'] === 'No' ? 'false' : 'never'));
          want = expected(item, [item.flagged], (t) => String(valueAt<boolean | string>(item.flagged, t, 'never')));
          break;
        case 'tags':
          got = read(revisions, (f) => String(f['System.Tags'] ?? '').split('; ').filter(Boolean).sort().join('|'));
          want = expected(item, [item.labels, item.releases], (t) =>
            [...valueAt<readonly string[]>(item.labels, t, []), ...valueAt<readonly string[]>(item.releases, t, []).map((r) => `release:${releaseName.get(r)}`)]
              .sort()
              .join('|'),
          );
          break;
      }
      expect({ key: item.key, timeline: got }).toEqual({ key: item.key, timeline: want });
      if (want.length > 1) compared++;
    }
    // The team has items whose value changes, or the comparison proves little.
    expect(compared).toBeGreaterThan(5);
  });

  it('a revision only when a rendered field changes', () => {
    for (const revisions of Object.values(site.revisions)) {
      for (let i = 1; i < revisions.length; i++) {
        const strip = (f: Record<string, unknown>): string =>
          JSON.stringify(Object.fromEntries(Object.entries(f).filter(([k]) => !['System.Rev', 'System.ChangedDate', 'System.ChangedBy', 'System.RevisedDate'].includes(k))));
        expect(strip(revisions[i]!.fields)).not.toBe(strip(revisions[i - 1]!.fields));
      }
    }
  });

  it('types, estimate field and order field per process', () => {
    const types = new Set(site.workItems.map((w) => w.fields['System.WorkItemType']));
    expect(types).toEqual(new Set(process === 'scrum' ? ['Product Backlog Item', 'Bug', 'Task', 'Epic', 'Impediment'] : ['User Story', 'Bug', 'Task', 'Epic', 'Issue']));
    const order = process === 'scrum' ? 'Microsoft.VSTS.Common.BacklogPriority' : 'Microsoft.VSTS.Common.StackRank';
    for (const item of team.snapshot.items) {
      const w = site.workItems.find((x) => x.id === site.idMap.workItems[item.id])!;
      expect(w.fields[order]).toBe(Number(item.rank));
      expect(w.fields['System.AreaPath']).toBe('SIM\\SIM Team');
      expect(w.fields['System.TeamProject']).toBe('SIM');
      expect('System.Description' in w.fields).toBe(item.described);
      if (item.parentId) expect(w.fields['System.Parent']).toBe(site.idMap.workItems[item.parentId]);
    }
  });
});

describe('state mapping', () => {
  it('maps the simulator statuses per process and type', () => {
    expect(['To Do', 'In Progress', 'Blocked', 'In Review', 'Done'].map((s) => azureDevOpsStateOf('scrum', 'Product Backlog Item', s))).toEqual([
      'New',
      'Committed',
      'Blocked',
      'In Review',
      'Done',
    ]);
    expect(['To Do', 'In Progress', 'Blocked', 'In Review', 'Done'].map((s) => azureDevOpsStateOf('agile', 'User Story', s))).toEqual([
      'New',
      'Active',
      'Blocked',
      'Resolved',
      'Closed',
    ]);
    expect(['To Do', 'In Progress', 'Blocked', 'Done'].map((s) => azureDevOpsStateOf('scrum', 'Task', s))).toEqual(['To Do', 'In Progress', 'In Progress', 'Done']);
    expect(['To Do', 'In Progress', 'Done'].map((s) => azureDevOpsStateOf('agile', 'Task', s))).toEqual(['New', 'Active', 'Closed']);
    expect(['To Do', 'Done'].map((s) => azureDevOpsStateOf('scrum', 'Impediment', s))).toEqual(['Open', 'Closed']);
    expect(['To Do', 'In Review', 'Done'].map((s) => azureDevOpsStateOf('agile', 'Issue', s))).toEqual(['Active', 'Resolved', 'Closed']);
    expect(workItemTypeOf('scrum', 'subtask').name).toBe('Task');
    expect(workItemTypeOf('scrum', 'task').name).toBe('Product Backlog Item');
    expect(workItemTypeOf('agile', 'impediment').name).toBe('Issue');
    expect(azureDevOpsStateOf('scrum', 'Bug', 'Removed')).toBe('Removed');
  });
});

describe('iterations and releases', () => {
  const site = new AzureDevOpsSite([team], { now: () => ms(team.snapshot.asOf) });
  const project = site.projects[0]!;

  it('sprints are SIM\\Sprint N, Monday to Sunday, without overlap', () => {
    const sprints = site.teamIterations(project);
    expect(sprints.map((s) => site.pathOf(s))).toEqual(team.snapshot.sprints.map((_, i) => `SIM\\Sprint ${i + 1}`));
    expect(sprints.map((s) => [s.startDate, s.finishDate])).toEqual([
      ['2025-01-06', '2025-01-19'],
      ['2025-01-20', '2025-02-02'],
      ['2025-02-03', '2025-02-16'],
      ['2025-02-17', '2025-03-02'],
      ['2025-03-03', '2025-03-16'],
      // The last sprint has no successor: the local date of its planned end (the rule, see the README).
      ['2025-03-17', '2025-03-31'],
    ]);
    expect(sprints.map((s) => site.timeFrame(s))).toEqual(['past', 'past', 'past', 'past', 'past', 'current']);
  });

  it('releases are project nodes under SIM\\Releases, not team iterations, finishing on the planned date', () => {
    const releases = team.snapshot.releases;
    for (const r of releases) {
      const node = site.node(`SIM\\Releases\\${r.name}`)!;
      expect(node.teamIteration).toBe(false);
      expect(node.finishDate).toBe(r.currentPlannedDate);
      expect(site.idMap.releases[r.id]).toMatchObject({ tag: `release:${r.name}`, path: `SIM\\Releases\\${r.name}` });
    }
  });

  it('the finish-date rule gives exactly Monday..Sunday for a "dates" calendar and for Monday-10:00 sprints', () => {
    const zone = 'Europe/Berlin';
    // 'dates' calendar: Monday 00:00 to Sunday 23:59:59.999 local.
    expect(sprintFinishDate(Date.parse('2025-01-19T23:59:59.999+01:00'), zone, '2025-01-20')).toBe('2025-01-19');
    expect(sprintFinishDate(Date.parse('2025-01-19T23:59:59.999+01:00'), zone, null)).toBe('2025-01-19');
    // Ending exactly at local midnight: the day that just ended.
    expect(sprintFinishDate(Date.parse('2025-01-20T00:00:00+01:00'), zone, '2025-01-20')).toBe('2025-01-19');
    expect(sprintFinishDate(Date.parse('2025-03-31T00:00:00+02:00'), zone, null)).toBe('2025-03-30');
    // The simulator's default: Monday 10:00 to Monday 10:00, the next sprint starting that Monday.
    expect(sprintFinishDate(Date.parse('2025-01-20T10:00:00+01:00'), zone, '2025-01-20')).toBe('2025-01-19');
    expect(sprintFinishDate(Date.parse('2025-01-20T10:00:00+01:00'), zone, null)).toBe('2025-01-20');
  });

  it('the simulator\'s "dates" calendar renders exactly Monday..Sunday, each sprint starting the day after the last', () => {
    const s = new AzureDevOpsSite([datesTeam]);
    const nodes = s.teamIterations(s.projects[0]!);
    expect(nodes).toHaveLength(5);
    nodes.forEach((node, k) => {
      expect(new Date(`${node.startDate}T00:00:00Z`).getUTCDay()).toBe(1);
      expect(new Date(`${node.finishDate}T00:00:00Z`).getUTCDay()).toBe(0);
      if (k > 0) expect(addDays(nodes[k - 1]!.finishDate!, 1)).toBe(node.startDate);
    });
    // Across the change to summer time too (the zone's offset differs at start and end).
    const long = simulateTeam({ seed: 6, sprints: 12, itemsPerSprint: 3, sprintCalendar: 'dates' });
    const l = new AzureDevOpsSite([long]);
    for (const node of l.teamIterations(l.projects[0]!)) {
      expect([new Date(`${node.startDate}T00:00:00Z`).getUTCDay(), new Date(`${node.finishDate}T00:00:00Z`).getUTCDay()]).toEqual([1, 0]);
    }
  });
});
