import type { SimulatedTeam } from '../ground-truth';
import { simulateOrganisation } from '../simulate-organisation';
import { simulateTeam } from '../simulate-team';
import { snapshotAt } from '../snapshot-at';
import { startSimulatedJira } from './server';
import type { SimulatedJira } from './server';
import { JiraSite } from './site';
import type { HistoryRecord, IssueRecord } from './site';

/*
 * The simulated Jira as it was at a past instant: sites built from snapshotAt cuts of the same teams number every
 * entity the same way, and a running server can be switched from one instant to a later one at the same URL.
 */

const ms = (instant: string): number => Date.parse(instant);
const history = (h: HistoryRecord) => ({ id: h.id, ms: h.ms, author: h.author.accountId, items: h.items });
const histories = (i: IssueRecord) => i.histories.map(history);

/** Every entity present in both sites has the same Jira id; histories of the earlier one are a prefix. */
function expectSameIds(early: JiraSite, late: JiraSite, T: number): number {
  expect(early.idMap.fields).toEqual(late.idMap.fields);
  expect(early.idMap.boards).toEqual(late.idMap.boards);
  expect(early.idMap.projects).toEqual(late.idMap.projects);
  expect(early.idMap.sprints).toEqual(late.idMap.sprints);
  expect(early.idMap.versions).toEqual(late.idMap.versions);
  expect(early.sprints.map((s) => [s.team.key, s.simId, s.id])).toEqual(late.sprints.map((s) => [s.team.key, s.simId, s.id]));
  expect(early.versions.map((v) => [v.team.key, v.simId, v.id])).toEqual(late.versions.map((v) => [v.team.key, v.simId, v.id]));
  for (const [simId, issue] of Object.entries(early.idMap.issues)) if (late.idMap.issues[simId]!.key === issue.key) expect(late.idMap.issues[simId]).toEqual(issue);
  for (const [name, id] of Object.entries(early.idMap.statuses)) expect(late.idMap.statuses[name]).toBe(id);
  for (const [name, id] of Object.entries(early.idMap.issueTypes)) expect(late.idMap.issueTypes[name]).toBe(id);
  expect(early.teams.map((t) => [t.key, t.boardId, t.projectId, t.filterId])).toEqual(late.teams.map((t) => [t.key, t.boardId, t.projectId, t.filterId]));
  let grown = 0;
  const byKey = new Map(late.issues.map((i) => [i.key, i]));
  for (const a of early.issues) {
    const b = byKey.get(a.key)!;
    expect([b.id, b.simId]).toEqual([a.id, a.simId]);
    expect(a.histories.every((h) => h.ms <= T)).toBe(true);
    expect(histories(a)).toEqual(histories(b).filter((h) => h.ms <= T));
    if (b.histories.length > a.histories.length) grown++;
  }
  return grown;
}

describe('a simulated Jira site built from a team cut at an instant', () => {
  const team = simulateTeam({ seed: 7, sprints: 8, itemsPerSprint: 8 });
  const [T1, T2] = [ms(team.snapshot.sprints[2]!.startAt!), ms(team.snapshot.sprints[5]!.startAt!)];
  const at = (T: number): JiraSite => new JiraSite([snapshotAt(team, T)], { now: () => T });
  const early = at(T1);
  const late = at(T2);
  const full = new JiraSite([team], { now: () => ms(team.snapshot.asOf) });

  it('keeps every id (issues, sprints, versions, fields, boards, histories) between T1, T2 and asOf', () => {
    expect(Object.keys(early.idMap.issues).length).toBe(team.snapshot.items.filter((i) => ms(i.createdAt) <= T1).length);
    expect(Object.keys(early.idMap.issues).length).toBeLessThan(Object.keys(late.idMap.issues).length);
    expect(Object.keys(late.idMap.issues).length).toBeLessThan(Object.keys(full.idMap.issues).length);
    expect(expectSameIds(early, late, T1)).toBeGreaterThan(10);
    expect(expectSameIds(late, full, T2)).toBeGreaterThan(10);
    expect(expectSameIds(early, full, T1)).toBeGreaterThan(10);
    const ids = late.issues.flatMap((i) => i.histories.map((h) => h.id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('shows each issue and sprint as it was at T', () => {
    for (const issue of early.issues) {
      const item = team.snapshot.items.find((i) => i.id === issue.simId)!;
      const last = <V>(tl: readonly { at: string; value: V }[]): V | undefined => tl.filter((c) => ms(c.at) <= T1).pop()?.value;
      expect(issue.status.name).toBe(last(item.status)!.name);
      expect(issue.estimate).toBe(last(item.estimate) ?? null);
      expect([...issue.sprints].sort()).toEqual((last(item.sprints) ?? []).map((s) => early.idMap.sprints[s]!).sort());
      expect(issue.updatedMs).toBeLessThanOrEqual(T1);
    }
    expect(early.sprints.map((s) => s.state)).toEqual(['closed', 'closed', 'active', 'future', 'future', 'future', 'future', 'future']);
    expect(late.sprints.map((s) => s.state)).toEqual(['closed', 'closed', 'closed', 'closed', 'closed', 'active', 'future', 'future']);
    expect(early.sprints[2]!.completeMs).toBeUndefined();
    expect(late.sprints[2]!.completeMs).toBe(ms(team.snapshot.sprints[2]!.closedAt!));
  });

  it("shows a release's planned date as it was at T (before its slip), released only once shipped", () => {
    const seven = simulateTeam({ seed: 1 });
    const slipped = seven.snapshot.releases.find((r) => new Set(r.plannedDate.map((c) => c.value)).size > 1)!;
    const slip = slipped.plannedDate.find((c) => c.value !== slipped.plannedDate[0]!.value)!;
    const version = (T: number) => {
      const site = new JiraSite([snapshotAt(seven, T)], { now: () => T });
      return site.version(slipped.id)!;
    };
    expect(version(ms(slip.at) - 60_000)).toMatchObject({ released: false, releaseDate: slipped.plannedDate[0]!.value });
    expect(version(ms(slip.at))).toMatchObject({ released: false, releaseDate: slip.value });
    expect(version(ms(slipped.releasedAt!))).toMatchObject({ released: true });
    expect(version(ms(slipped.releasedAt!) - 1)).toMatchObject({ released: false, releaseDate: slip.value });
  });

  it('keeps ids stable for an organisation, and for two teams simulated with the same teamIndex', () => {
    const org = simulateOrganisation({ seed: 3, teams: 3, sprints: 5, itemsPerSprint: 5 });
    const latest = (k: number) => Math.min(...org.map((t) => ms(t.snapshot.sprints[k]!.startAt!)));
    const [a, b] = [latest(1), latest(3)];
    const cut = (teams: readonly SimulatedTeam[], T: number) => new JiraSite(teams.map((t) => snapshotAt(t, T)), { now: () => T });
    expect(expectSameIds(cut(org, a), cut(org, b), a)).toBeGreaterThan(10);
    expect(Object.keys(cut(org, a).idMap.issues).length).toBeGreaterThan(30);

    // Both number their items from 1; at t1 the second team has more of them than the first.
    const twins = [
      simulateTeam({ seed: 3, sprints: 4, itemsPerSprint: 5, start: '2025-02-03' }),
      simulateTeam({ seed: 4, sprints: 4, itemsPerSprint: 5, teamKey: 'TWO' }),
    ];
    const t1 = ms(twins[0]!.snapshot.sprints[0]!.startAt!);
    const t2 = ms(twins[1]!.snapshot.asOf);
    const first = cut(twins, t1);
    const second = cut(twins, t2);
    const most = (site: JiraSite, key: string) => Math.max(...site.issues.filter((i) => i.team.key === key).map((i) => i.number));
    expect(most(first, 'TWO')).toBeGreaterThan(most(first, 'SIM'));
    expect(expectSameIds(first, second, t1)).toBeGreaterThan(5);
    const two = second.issues.filter((i) => i.team.key === 'TWO');
    expect(two.length).toBeGreaterThan(0);
    expect(two.every((i) => i.id === String(10000 + 2 * 10_000_000 + i.number))).toBe(true);
    // Each team's issues sit in its own sprints, although both teams name them sim:sprint:1...
    for (const i of second.issues) for (const s of i.sprints) expect(second.sprint(s)!.team).toBe(i.team);
    for (const i of second.issues) if (i.parentId !== undefined) expect(second.issue(i.parentId)!.team).toBe(i.team);
    expect(second.issues.filter((i) => i.team.key === 'SIM' && i.parentId !== undefined).length).toBeGreaterThan(5);
    expect(second.issues.filter((i) => i.team.key === 'SIM' && i.sprints.length > 0).length).toBeGreaterThan(5);
  });
});

describe('a running simulated Jira served at past instants', () => {
  const team = simulateTeam({ seed: 5, sprints: 6, itemsPerSprint: 6 });
  const sprints = team.snapshot.sprints;
  const [T1, T2] = [ms(sprints[1]!.startAt!), ms(sprints[3]!.startAt!)];
  let jira: SimulatedJira;
  const get = async (path: string) => {
    const r = await fetch(`${jira.url}${path}`, { headers: { authorization: `Basic ${Buffer.from(`${jira.email}:${jira.apiToken}`).toString('base64')}` } });
    return { status: r.status, date: r.headers.get('date'), body: (await r.json()) as any };
  };
  const search = async (jql: string) => {
    const r = await get(`/rest/api/3/search/jql?jql=${encodeURIComponent(jql)}&maxResults=5000&fields=updated`);
    expect(r.status).toBe(200);
    return r.body.issues as { id: string; key: string; fields: { updated: string } }[];
  };

  beforeAll(async () => {
    jira = await startSimulatedJira({ teams: [snapshotAt(team, T1)], now: () => T1 });
  });
  afterAll(() => jira.close());

  it('answers with the site clock in the Date header, switches instant at the same URL, keeps the ids', async () => {
    const info = await get('/rest/api/3/serverInfo');
    expect(info.date).toBe(new Date(T1).toUTCString());
    expect(Date.parse(info.body.serverTime)).toBe(T1);
    const board = jira.boards[0]!.id;
    const before = await get(`/rest/agile/1.0/board/${board}/sprint`);
    expect(before.body.values.map((s: any) => s.state)).toEqual(['closed', 'active', 'future', 'future', 'future', 'future']);
    const issuesAtT1 = await search('project = SIM ORDER BY key');
    expect(issuesAtT1.length).toBe(team.snapshot.items.filter((i) => ms(i.createdAt) <= T1).length);
    const changelogKey = issuesAtT1.find((i) => jira.site.issue(i.id)!.histories.length > 1)!.key;
    const changelogT1 = (await get(`/rest/api/3/issue/${changelogKey}/changelog?maxResults=100`)).body.values;
    const url = jira.url;
    const requests = jira.requests.entries.length;

    const served = jira.serve([snapshotAt(team, T2)]);
    expect(jira.site).toBe(served);
    expect(jira.url).toBe(url);
    expect(jira.site.baseUrl).toBe(url);
    expect(jira.requests.entries.length).toBe(requests);
    const info2 = await get('/rest/api/3/myself');
    expect(info2.status).toBe(200);
    expect(info2.date).toBe(new Date(T2).toUTCString());
    const after = await get(`/rest/agile/1.0/board/${board}/sprint`);
    expect(after.body.values.map((s: any) => s.state)).toEqual(['closed', 'closed', 'closed', 'active', 'future', 'future']);
    expect(after.body.values.map((s: any) => s.id)).toEqual(before.body.values.map((s: any) => s.id));
    expect(after.body.values[1].completeDate).toBe(new Date(ms(sprints[1]!.closedAt!)).toISOString());

    const issuesAtT2 = await search('project = SIM ORDER BY key');
    const idOf = new Map(issuesAtT2.map((i) => [i.key, i.id]));
    expect(issuesAtT2.length).toBeGreaterThan(issuesAtT1.length);
    for (const i of issuesAtT1) expect(idOf.get(i.key)).toBe(i.id);
    const changelogT2 = (await get(`/rest/api/3/issue/${changelogKey}/changelog?maxResults=100`)).body.values;
    expect(changelogT2.slice(0, changelogT1.length)).toEqual(changelogT1);
  });

  it('evaluates updated >= "yyyy/MM/dd HH:mm" and relative dates as a real site at that instant would', async () => {
    jira.serve([snapshotAt(team, T2)]);
    const cut = snapshotAt(team, T2).snapshot.items;
    const zone = jira.site.userTimeZone;
    const minute = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(new Date(T1))
      .reduce((o, p) => ({ ...o, [p.type]: p.value }), {} as Record<string, string>);
    const since = `${minute.year}/${minute.month}/${minute.day} ${minute.hour}:${minute.minute}`;
    const expected = cut.filter((i) => ms(i.updatedAt) >= T1).map((i) => i.key).sort();
    expect(expected.length).toBeGreaterThan(5);
    expect(expected.length).toBeLessThan(cut.length);
    expect((await search(`project = SIM AND updated >= "${since}"`)).map((i) => i.key).sort()).toEqual(expected);
    const week = cut.filter((i) => ms(i.updatedAt) >= T2 - 7 * 86_400_000).map((i) => i.key).sort();
    expect((await search('project = SIM AND updated >= -1w')).map((i) => i.key).sort()).toEqual(week);
    expect(await search(`project = SIM AND updated > now()`)).toEqual([]);
  });

  it('stamps mutations with the site clock, defaults the clock to the cut instant and keeps permissions', async () => {
    jira.serve([snapshotAt(team, T2)], { now: T2 });
    const issue = jira.site.visibleIssues().find((i) => i.updatedMs < T2 - 1000)!;
    const h = jira.site.edit(issue.key, { labels: [...issue.labels, 'touched'] })!;
    expect(h.ms).toBe(T2);
    expect(jira.site.issue(issue.key)!.updatedMs).toBe(T2);

    jira.site.setNoPermission([999]);
    const site = jira.serve([snapshotAt(team, sprints[4]!.startAt!)]);
    expect(site.nowMs()).toBe(ms(sprints[4]!.startAt!));
    expect(site.noPermissionList()).toEqual(['999']);
    expect(site.issue(issue.key)!.labels).not.toContain('touched');
    expect(jira.serve([team], { now: '2025-12-24T18:00:00Z' }).nowMs()).toBe(Date.parse('2025-12-24T18:00:00Z'));
    expect((await get('/rest/api/3/serverInfo')).date).toBe('Wed, 24 Dec 2025 18:00:00 GMT');
  });
});
