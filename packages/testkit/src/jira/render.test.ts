import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Change, WorkItem } from '@agile-kpi/core';
import type { SimulatedTeam } from '../ground-truth';
import { simulateOrganisation } from '../simulate-organisation';
import { simulateTeam } from '../simulate-team';
import { renderJiraSite } from './render';
import type { RenderedJiraSite } from './render';

/** Real Jira Cloud responses, copied with their licences into test/fixtures/jira (see its README). */
const DATA = resolve(__dirname, '../../../../test/fixtures');
const real = (file: string): any => JSON.parse(readFileSync(resolve(DATA, 'jira', file), 'utf8'));

// ---------------------------------------------------------------------------------------------------------------------
// A small shape comparer: key sets and value types, recursively (arrays by their first element).

type Diff = string[];

function shapeDiff(realValue: unknown, ours: unknown, allow: { missing?: string[]; extra?: string[] } = {}, path = '$'): Diff {
  const out: Diff = [];
  const kind = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  const a = kind(realValue);
  const b = kind(ours);
  if (a === 'null' || b === 'null') return out; // nullable fields: either side may be empty
  if (a !== b) return [`${path}: ${a} in Jira, ${b} here`];
  if (a === 'array') {
    const x = (realValue as unknown[])[0];
    const y = (ours as unknown[])[0];
    if (x !== undefined && y !== undefined) out.push(...shapeDiff(x, y, allow, `${path}[0]`));
    return out;
  }
  if (a !== 'object') return out;
  const r = realValue as Record<string, unknown>;
  const o = ours as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    const p = `${path}.${k}`;
    if (!(k in o)) {
      if (!allow.missing?.includes(p)) out.push(`${p}: missing here`);
    } else out.push(...shapeDiff(r[k], o[k], allow, p));
  }
  for (const k of Object.keys(o)) if (!(k in r) && !allow.extra?.includes(`${path}.${k}`)) out.push(`${path}.${k}: not in Jira`);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------

const team: SimulatedTeam = simulateTeam({ seed: 42, sprints: 8, itemsPerSprint: 8 });
const site: RenderedJiraSite = renderJiraSite([team]);
const f = site.idMap.fields;
const issueByKey = new Map(site.issues.map((i) => [i.key as string, i as any]));
const allHistories = (pred: (item: any) => boolean): any[] =>
  site.issues.flatMap((i: any) => i.changelog.histories).filter((h: any) => h.items.some(pred));

describe('renderJiraSite: ids and discovery', () => {
  it('is deterministic', () => {
    expect(JSON.stringify(renderJiraSite([team]))).toBe(JSON.stringify(site));
  });

  it('chooses custom field ids from the seed and describes them in the field list with their real schema types', () => {
    const other = renderJiraSite([team], { seed: 7 }).idMap.fields;
    expect(other.sprint).not.toBe(f.sprint);
    const byCustom = (type: string): any[] => site.fields.filter((x: any) => (x.schema as any)?.custom === type);
    expect(byCustom('com.pyxis.greenhopper.jira:gh-sprint').map((x) => x.id)).toEqual([f.sprint]);
    expect(byCustom('com.pyxis.greenhopper.jira:jsw-story-points').map((x) => x.id)).toEqual([f.storyPointEstimate]);
    expect(byCustom('com.atlassian.jira.plugin.system.customfieldtypes:float').map((x) => [x.id, x.name])).toEqual([
      [f.storyPoints, 'Story Points'],
    ]);
    const flagged = byCustom('com.atlassian.jira.plugin.system.customfieldtypes:multicheckboxes');
    expect(flagged.map((x) => [x.id, x.name])).toEqual([[f.flagged, 'Flagged']]);
    expect(byCustom('com.pyxis.greenhopper.jira:gh-lexo-rank').map((x) => x.id)).toEqual([f.rank]);
    for (const id of Object.values(f)) expect(id).toMatch(/^customfield_1\d{4}$/);
    // The board estimates with "Story point estimate", not with the classic "Story Points".
    const config = site.boardConfigurations['1'] as any;
    expect(config.estimation).toEqual({ type: 'field', field: { fieldId: f.storyPointEstimate, displayName: 'Story point estimate' } });
    expect(config.ranking.rankCustomFieldId).toBe(Number(f.rank.slice('customfield_'.length)));
  });

  it('maps sim ids to numeric Jira ids, unique across teams, with keys kept', () => {
    const org = simulateOrganisation({ seed: 5, teams: 3, sprints: 3, itemsPerSprint: 5 });
    const rendered = renderJiraSite(org);
    const ids = rendered.issues.map((i) => i.id as string);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^\d+$/);
    expect(rendered.boards.map((b) => b.id)).toEqual([1, 2, 3]);
    for (const t of org) {
      for (const item of t.snapshot.items) expect(rendered.idMap.issues[item.id]!.key).toBe(item.key);
      for (const s of t.snapshot.sprints) expect(typeof rendered.idMap.sprints[s.id]).toBe('number');
      for (const r of t.snapshot.releases) expect(rendered.idMap.versions[r.id]).toMatch(/^\d+$/);
    }
    expect(site.idMap.issues['sim:issue:1']).toEqual({ id: '10001', key: 'SIM-1' });
    // History ids: numeric, unique across the site, increasing with time within each issue.
    const hids = rendered.issues.flatMap((i: any) => i.changelog.histories.map((h: any) => Number(h.id)));
    expect(new Set(hids).size).toBe(hids.length);
    for (const i of rendered.issues as any[]) {
      const asc = [...i.changelog.histories].reverse().map((h: any) => Number(h.id));
      expect(asc).toEqual([...asc].sort((a, b) => a - b));
    }
  });

  it('writes platform timestamps in the team zone without a colon, agile sprint dates in UTC', () => {
    const issue = issueByKey.get('SIM-1')!;
    expect(issue.fields.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/);
    const item = team.snapshot.items[0]!;
    expect(item.createdAt.replace(/:(\d\d)$/, '$1')).toBe(issue.fields.created);
    const sprint = site.sprints['1']![0] as any;
    expect(sprint.startDate).toBe('2025-01-06T09:00:00.000Z'); // 10:00 in Berlin
    const summer = renderJiraSite([simulateTeam({ seed: 3, sprints: 3, start: '2025-07-07' })]);
    expect((summer.issues.at(-1) as any).fields.updated).toMatch(/\+0200$/);
  });
});

describe('renderJiraSite: shapes match real Jira Cloud responses', () => {
  const sp1 = real('jirametrics/testdata/SP-1.json');
  const sp13 = real('jirametrics/testdata/SP-13.json');
  const sp10 = real('jirametrics/testdata/SP-10.json');
  const sp5 = real('jirametrics/complete_sample/sample_issues/SP-5.json');
  const board8 = real('devlake/board8_issues_expand_changelog.json');
  const realItem = (issue: any, field: string, pred: (i: any) => boolean = () => true): any =>
    issue.changelog.histories.flatMap((h: any) => h.items).find((i: any) => i.field === field && pred(i));
  const ourItem = (pred: (i: any) => boolean): any => allHistories(pred)[0].items.find(pred);

  it('issue, status, issue type, project, fix version, parent and sub-task', () => {
    const ours = site.issues.find((i: any) => i.fields.fixVersions.length > 0 && i.fields.subtasks.length > 0) as any;
    expect(ours).toBeDefined();
    expect(Object.keys(ours).sort()).toEqual(Object.keys(sp1).sort());
    expect(shapeDiff(sp1.fields.status, ours.fields.status)).toEqual([]);
    expect(shapeDiff(sp1.fields.issuetype, ours.fields.issuetype)).toEqual([]);
    expect(shapeDiff(sp1.fields.project, ours.fields.project)).toEqual([]);
    expect(shapeDiff(sp5.fields.resolution, issueByKey.get(ours.key)!.fields.resolution ?? sp5.fields.resolution)).toEqual([]);
    const realFix = board8.find((i: any) => i.fields.fixVersions.length > 0).fields.fixVersions[0];
    expect(shapeDiff(realFix, ours.fields.fixVersions[0])).toEqual([]);
    const realParent = board8.find((i: any) => i.fields.parent).fields.parent;
    const child = site.issues.find((i: any) => i.fields.parent) as any;
    expect(shapeDiff(realParent, child.fields.parent)).toEqual([]);
    expect(shapeDiff(board8[0].fields.subtasks[0], ours.fields.subtasks[0])).toEqual([]);
    // Every field the real search returned exists here too (with this site's custom field ids).
    const realSystem = Object.keys(sp1.fields).filter((k) => !k.startsWith('customfield_'));
    expect(realSystem.filter((k) => !(k in ours.fields))).toEqual([]);
  });

  it('a history and its status, Sprint, Flagged, story point, resolution and Fix Version items', () => {
    const ourHistory = allHistories(() => true)[0];
    expect(shapeDiff(sp1.changelog.histories[0], ourHistory)).toEqual([]);
    const pairs: [any, any][] = [
      [realItem(sp1, 'status'), ourItem((i) => i.field === 'status')],
      [realItem(sp13, 'Sprint'), ourItem((i) => i.fieldId === f.sprint)],
      [realItem(sp1, 'Flagged'), ourItem((i) => i.fieldId === f.flagged && i.to !== '')],
      [realItem(sp10, 'Flagged', (i) => i.to === ''), ourItem((i) => i.fieldId === f.flagged && i.to === '')],
      [realItem(sp13, 'Story Points'), ourItem((i) => i.fieldId === f.storyPointEstimate)],
      [realItem(sp5, 'resolution'), ourItem((i) => i.field === 'resolution')],
      [realItem(board8[0], 'Fix Version'), ourItem((i) => i.field === 'Fix Version')],
    ];
    for (const [r, o] of pairs) {
      expect(r).toBeDefined();
      expect(o).toBeDefined();
      expect(Object.keys(o).sort()).toEqual(Object.keys(r).sort());
    }
    // Values exactly as Jira writes them.
    const flagOn = ourItem((i) => i.fieldId === f.flagged && i.to !== '');
    expect(flagOn).toEqual({ field: 'Flagged', fieldtype: 'custom', fieldId: f.flagged, from: null, fromString: null, to: '[10019]', toString: 'Impediment' });
    const flagOff = ourItem((i) => i.fieldId === f.flagged && i.to === '');
    expect(flagOff).toEqual({ field: 'Flagged', fieldtype: 'custom', fieldId: f.flagged, from: '[10019]', fromString: 'Impediment', to: '', toString: '' });
    const points = ourItem((i) => i.fieldId === f.storyPointEstimate);
    expect(points.from).toBeNull();
    expect(points.to).toBeNull();
    expect(points.toString).toMatch(/^\d+$/);
    const carry = ourItem((i) => i.fieldId === f.sprint && i.from.includes(',') === false && i.to.includes(', '));
    expect(carry.to).toMatch(/^\d+, \d+$/);
    expect(carry.toString.split(', ')).toHaveLength(2);
    // A status change into done carries the resolution in the same history, resolution first (as in real data).
    const done = allHistories((i) => i.field === 'status' && i.toString === 'Done')[0];
    expect(done.items.map((i: any) => i.field)).toEqual(expect.arrayContaining(['resolution', 'status']));
    expect(done.items.findIndex((i: any) => i.field === 'resolution')).toBeLessThan(done.items.findIndex((i: any) => i.field === 'status'));
  });

  it('Sprint and Flagged field values', () => {
    const active = site.issues.find((i: any) => i.fields[f.sprint]?.some((s: any) => s.state === 'active')) as any;
    const ourSprint = active.fields[f.sprint].find((s: any) => s.state === 'active');
    expect(Object.keys(ourSprint).sort()).toEqual(Object.keys(sp13.fields.customfield_10020[0]).sort());
    const flagged = site.issues.find((i: any) => i.fields[f.flagged] !== null) as any;
    expect(flagged.fields[f.flagged]).toEqual([{ self: expect.stringMatching(/customFieldOption\/10019$/), value: 'Impediment', id: '10019' }]);
    expect(shapeDiff(sp1.fields.customfield_10021, flagged.fields[f.flagged])).toEqual([]);
  });

  it('sprints, board configuration, statuses, issue types, per-issue changelog values', () => {
    const sprints = real('devlake/board8_sprints.json');
    const ourClosed = site.sprints['1']!.find((s: any) => s.state === 'closed');
    expect(shapeDiff(sprints[0], ourClosed, { extra: ['$.createdDate'] })).toEqual([]);
    const spec = JSON.parse(readFileSync(resolve(DATA, 'specs/jira-cloud/software-swagger.v3.json'), 'utf8'));
    const specConfig = JSON.parse(spec.paths['/rest/agile/1.0/board/{boardId}/configuration'].get.responses['200'].content['application/json'].example);
    // The spec's example omits `type`, which real responses (below) carry.
    expect(shapeDiff(specConfig, site.boardConfigurations['1'], { extra: ['$.type'] })).toEqual([]);
    const realConfig = real('jirametrics/testdata/sample_board_1_configuration.json');
    expect(shapeDiff(realConfig, site.boardConfigurations['1'], { missing: ['$.subQuery'], extra: ['$.estimation'] })).toEqual([]);
    expect(shapeDiff(real('devlake/statuses_api2_status.json')[0], site.statuses[0])).toEqual([]);
    expect(shapeDiff(real('devlake/issuetypes_api3.json')[0], site.issueTypes[0])).toEqual([]);
    const realValue = real('devlake/issue_changelog_values_api3.json')[0];
    expect(shapeDiff(realValue, allHistories(() => true)[0], { missing: ['$.issue_id'] })).toEqual([]);
  });

  it('configuration: the rightmost column holds the done status; the filter selects the project in rank order', () => {
    const config = site.boardConfigurations['1'] as any;
    const columns = config.columnConfig.columns;
    expect(columns.map((c: any) => c.name)).toEqual(team.snapshot.team.columns);
    const doneIds = site.statuses.filter((s: any) => s.statusCategory.key === 'done').map((s: any) => s.id);
    expect(columns.at(-1).statuses.map((s: any) => s.id)).toEqual(doneIds);
    expect(site.filters[config.filter.id]!.jql).toBe('project = SIM ORDER BY Rank ASC');
    expect(site.issueTypes.map((t: any) => [t.name, t.subtask, t.hierarchyLevel])).toEqual(
      expect.arrayContaining([['Epic', false, 1], ['Story', false, 0], ['Bug', false, 0], ['Task', false, 0], ['Sub-task', true, -1], ['Impediment', false, 0]]),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------------------
// The inverse: an independent reader rebuilds the timelines from current values + changelog.

interface Point<T> {
  ms: number;
  value: T;
}

const parseJiraTime = (t: string): number => Date.parse(t.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

/** The simulator's timeline as Jira can show it: the value at creation, then one point per instant it changed. */
function expected<T>(timeline: readonly Change<T>[], createdMs: number, initial: T, key: (v: T) => string): Point<string>[] {
  let value = key(initial);
  const out: Point<string>[] = [];
  for (const c of timeline) {
    const ms = Date.parse(c.at);
    if (ms <= createdMs) value = key(c.value);
  }
  out.push({ ms: createdMs, value });
  for (const c of timeline) {
    const ms = Date.parse(c.at);
    if (ms <= createdMs) continue;
    const v = key(c.value);
    if (out.at(-1)!.ms === ms) out.at(-1)!.value = v;
    else if (out.at(-1)!.value !== v) out.push({ ms, value: v });
  }
  return out;
}

type Field = 'status' | 'estimate' | 'sprints' | 'flagged' | 'labels' | 'versions';

/** Reads current fields and the ascending histories back into timelines (no code shared with the renderer). */
function reconstruct(issue: any, histories: any[], fields: typeof f): Record<Field, Point<string>[]> {
  const ids = (list: string | null): string => (list ? list.split(', ').filter(Boolean).map((id) => site.idMap.reverse.sprints[id]).join('|') : '');
  const current: Record<Field, string> = {
    status: issue.fields.status.id,
    estimate: String(issue.fields[fields.storyPointEstimate]),
    sprints: (issue.fields[fields.sprint] ?? []).map((s: any) => site.idMap.reverse.sprints[String(s.id)]).join('|'),
    flagged: String(issue.fields[fields.flagged] !== null),
    labels: [...issue.fields.labels].sort().join('|'),
    versions: issue.fields.fixVersions.map((v: any) => site.idMap.reverse.versions[v.id]).sort().join('|'),
  };
  const step = (state: Record<Field, string>, item: any, forward: boolean): void => {
    const pick = (a: any, b: any): any => (forward ? b : a);
    if (item.fieldId === 'status') state.status = pick(item.from, item.to);
    else if (item.fieldId === fields.sprint) state.sprints = ids(pick(item.from, item.to));
    else if (item.fieldId === fields.storyPointEstimate) state.estimate = String(pick(item.fromString, item.toString));
    else if (item.fieldId === fields.flagged) state.flagged = String((pick(item.from, item.to) ?? '') !== '');
    else if (item.fieldId === 'labels') state.labels = String(pick(item.fromString, item.toString) ?? '').split(' ').filter(Boolean).sort().join('|');
    else if (item.fieldId === 'fixVersions') {
      const set = new Set(state.versions.split('|').filter(Boolean));
      const added = item.to ? site.idMap.reverse.versions[item.to] : undefined;
      const removed = item.from ? site.idMap.reverse.versions[item.from] : undefined;
      if (forward ? added : removed) set.add((forward ? added : removed)!);
      if (forward ? removed : added) set.delete((forward ? removed : added)!);
      state.versions = [...set].sort().join('|');
    }
  };
  const state = { ...current };
  for (const h of [...histories].reverse()) for (const item of h.items) step(state, item, false);
  const created = parseJiraTime(issue.fields.created);
  const out = Object.fromEntries(Object.entries(state).map(([k, v]) => [k, [{ ms: created, value: v }]])) as Record<Field, Point<string>[]>;
  for (const h of histories) {
    const ms = parseJiraTime(h.created);
    for (const item of h.items) step(state, item, true);
    for (const k of Object.keys(out) as Field[]) if (out[k].at(-1)!.value !== state[k]) out[k].push({ ms, value: state[k] });
  }
  for (const k of Object.keys(out) as Field[]) expect(out[k].at(-1)!.value).toBe(current[k]);
  return out;
}

describe('renderJiraSite is the exact inverse of the simulated timelines', () => {
  const check = (item: WorkItem, issue: any): void => {
    const histories = [...issue.changelog.histories].reverse();
    expect(issue.changelog.total).toBe(histories.length);
    const got = reconstruct(issue, histories, f);
    const created = Date.parse(item.createdAt);
    expect(parseJiraTime(issue.fields.created)).toBe(created);
    expect(parseJiraTime(issue.fields.updated)).toBe(Date.parse(item.updatedAt));
    const sorted = (v: readonly string[]): string => [...v].sort().join('|');
    expect(got.status).toEqual(expected(item.status, created, item.status[0]!.value, (v) => v.id!));
    expect(got.estimate).toEqual(expected(item.estimate, created, null, (v) => String(v)));
    expect(got.sprints).toEqual(expected(item.sprints, created, [], (v) => v.join('|')));
    expect(got.flagged).toEqual(expected(item.flagged, created, false, (v) => String(v)));
    expect(got.labels).toEqual(expected(item.labels, created, [], sorted));
    expect(got.versions).toEqual(expected(item.releases, created, [], sorted));
    expect(issue.fields.summary).toBe(item.title);
    expect(issue.fields.description !== null).toBe(item.described);
    expect(issue.fields.issuetype.name).toBe(item.type.original);
    const parent = item.parentId !== undefined ? site.idMap.issues[item.parentId]!.key : undefined;
    expect(issue.fields.parent?.key).toBe(parent);
  };

  it('for every issue of the team: status, estimate, sprint set, flag, labels and fix versions', () => {
    expect(site.issues).toHaveLength(team.snapshot.items.length);
    for (const item of team.snapshot.items) check(item, issueByKey.get(item.key));
  });

  it('a done issue has its resolution and resolutiondate; sprints and versions keep their dates', () => {
    const done = site.issues.find((i: any) => i.fields.status.statusCategory.key === 'done') as any;
    expect(done.fields.resolution.name).toBe('Done');
    const open = site.issues.find((i: any) => i.fields.status.statusCategory.key !== 'done') as any;
    expect(open.fields.resolution).toBeNull();
    expect(open.fields.resolutiondate).toBeNull();
    const firstJoin = new Map<string, number>();
    for (const item of team.snapshot.items) {
      for (const c of item.sprints) for (const s of c.value) firstJoin.set(s, Math.min(firstJoin.get(s) ?? Infinity, Date.parse(c.at)));
    }
    for (const s of team.snapshot.sprints) {
      const ours = site.sprints['1']!.find((x: any) => x.id === site.idMap.sprints[s.id]) as any;
      expect(ours.name).toBe(s.name);
      expect(ours.state).toBe(s.state);
      expect(Date.parse(ours.startDate)).toBe(Date.parse(s.startAt!));
      expect(Date.parse(ours.endDate)).toBe(Date.parse(s.plannedEndAt!));
      expect(ours.completeDate === undefined ? undefined : Date.parse(ours.completeDate)).toBe(s.closedAt ? Date.parse(s.closedAt) : undefined);
      expect(ours.goal).toBe(s.goal ?? '');
      expect(Date.parse(ours.createdDate)).toBeLessThan(firstJoin.get(s.id) ?? Infinity);
    }
    const versions = site.versions['SIM']!;
    for (const r of team.snapshot.releases) {
      const v = versions.find((x: any) => x.id === site.idMap.versions[r.id]) as any;
      expect(v.released).toBe(r.releasedAt !== undefined);
      // Released: the day it shipped (team zone); open: today's planned date.
      expect(v.releaseDate).toBe(r.releasedAt !== undefined ? r.releasedAt.slice(0, 10) : r.currentPlannedDate);
      expect(v.startDate).toBe(r.startAt!.slice(0, 10));
    }
  });

  it('the velocity report equals the ground truth, closed sprints newest first', () => {
    const v = site.velocity['1'] as any;
    const closed = team.truth.sprints.filter((s) => s.state === 'closed');
    expect(v.sprints.map((s: any) => s.id)).toEqual(closed.map((s) => site.idMap.sprints[s.sprintId]).reverse());
    for (const s of closed) {
      const entry = v.velocityStatEntries[String(site.idMap.sprints[s.sprintId])];
      expect(entry.estimated.value).toBe(s.committedPoints);
      expect(entry.completed.value).toBe(s.completedPoints);
      expect(entry.completed.text).toBe(`${s.completedPoints}.0`);
    }
    expect(v.sprints[0]).toEqual({ id: expect.any(Number), sequence: expect.any(Number), name: expect.any(String), state: 'CLOSED', linkedPagesCount: 0, goal: expect.any(String) });
  });
});
