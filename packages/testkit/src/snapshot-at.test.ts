import type { Change, WorkItem } from '@agile-kpi/core';
import type { SimulatedTeam } from './ground-truth';
import { simulateTeam } from './simulate-team';
import { snapshotAt } from './snapshot-at';

const team: SimulatedTeam = simulateTeam({ seed: 1 });
const ms = (instant: string): number => Date.parse(instant);
const TIMELINES = ['status', 'estimate', 'sprints', 'releases', 'flagged', 'labels'] as const;
const changesOf = (item: WorkItem): Change<unknown>[] => TIMELINES.flatMap((k) => item[k] as readonly Change<unknown>[]);
const sprint = (t: SimulatedTeam, id: string) => t.snapshot.sprints.find((s) => s.id === id)!;
const release = (t: SimulatedTeam, id: string) => t.snapshot.releases.find((r) => r.id === id)!;

describe('snapshotAt', () => {
  it('cut at asOf (string or epoch ms) is the team itself, and the input is left alone', () => {
    const before = JSON.stringify(team);
    expect(snapshotAt(team, team.snapshot.asOf)).toEqual(team);
    expect(snapshotAt(team, ms(team.snapshot.asOf))).toEqual(team);
    expect(JSON.stringify(team)).toBe(before);
  });

  it('refuses an instant after asOf or that is not one', () => {
    expect(() => snapshotAt(team, ms(team.snapshot.asOf) + 1)).toThrow(/after the team's asOf/);
    expect(() => snapshotAt(team, 'last tuesday')).toThrow(/not an instant/);
  });

  it("cut at a sprint's start: that sprint is active, earlier ones closed, later ones future, no later change", () => {
    const all = team.snapshot.sprints;
    const k = 4;
    const s5 = all[k]!;
    const T = ms(s5.startAt!);
    const cut = snapshotAt(team, s5.startAt!);
    const { snapshot, truth } = cut;

    expect(snapshot.asOf).toBe(s5.startAt);
    expect(snapshot.sprints.map((s) => s.state)).toEqual(all.map((_, i) => (i < k ? 'closed' : i === k ? 'active' : 'future')));
    expect(snapshot.sprints.slice(0, k)).toEqual(all.slice(0, k));
    const { goal: _g, closedAt: _c, verdict: _v, ...planned } = all[k + 1]!;
    const { closedAt: _c5, verdict: _v5, ...s5Open } = s5;
    expect(sprint(cut, s5.id)).toEqual({ ...s5Open, state: 'active' });
    expect(sprint(cut, all[k + 1]!.id)).toEqual({ ...planned, state: 'future' });
    expect(sprint(cut, all[k + 1]!.id)).not.toHaveProperty('closedAt');
    expect(sprint(cut, all[k + 1]!.id).startAt).toBe(all[k + 1]!.startAt);
    expect(sprint(cut, all[k + 1]!.id).plannedEndAt).toBe(all[k + 1]!.plannedEndAt);

    const expectedKeys = team.snapshot.items.filter((i) => ms(i.createdAt) <= T).map((i) => i.key);
    expect(snapshot.items.map((i) => i.key)).toEqual(expectedKeys);
    expect(expectedKeys.length).toBeLessThan(team.snapshot.items.length);
    const byId = new Map(team.snapshot.items.map((i) => [i.id, i]));
    let cutSome = 0;
    for (const item of snapshot.items) {
      const whole = byId.get(item.id)!;
      for (const k2 of TIMELINES) {
        const full = whole[k2] as readonly Change<unknown>[];
        const kept = full.filter((c) => ms(c.at) <= T);
        expect(item[k2]).toEqual(kept);
        if (kept.length < full.length) cutSome++;
      }
      const latest = Math.max(ms(item.createdAt), ...changesOf(item).map((c) => ms(c.at)));
      expect(ms(item.updatedAt)).toBe(latest);
      expect(ms(item.updatedAt)).toBeLessThanOrEqual(T);
    }
    expect(cutSome).toBeGreaterThan(10);

    // The sprint's committed items (recorded by the simulator at the start) are in it at T.
    const committed = team.truth.sprints.find((st) => st.sprintId === s5.id)!.committedKeys;
    expect(committed.length).toBeGreaterThan(0);
    for (const key of committed) {
      const item = snapshot.items.find((i) => i.key === key)!;
      expect(item.sprints[item.sprints.length - 1]!.value).toContain(s5.id);
    }

    expect(truth.activeSprintId).toBe(s5.id);
    expect(truth.sprints).toEqual(team.truth.sprints.slice(0, k));
    expect(truth.sprints.every((st) => st.state === 'closed')).toBe(true);
    expect(truth.impediments.every((i) => ms(i.raisedAt) <= T && (i.resolvedAt === null || ms(i.resolvedAt) <= T))).toBe(true);
    const stillOpen = team.truth.impediments.filter((i) => ms(i.raisedAt) <= T && (i.resolvedAt === null || ms(i.resolvedAt) > T));
    expect(stillOpen.length).toBeGreaterThan(0);
    for (const i of stillOpen) expect(truth.impediments).toContainEqual({ ...i, resolvedAt: null });
    expect(truth.impediments).toHaveLength(team.truth.impediments.filter((i) => ms(i.raisedAt) <= T).length);
  });

  it('between sprints there is no active sprint; before the first start every sprint is future', () => {
    const [s1, s2] = team.snapshot.sprints;
    const between = snapshotAt(team, ms(s1!.closedAt!) + 60_000);
    expect(between.snapshot.sprints.slice(0, 2).map((s) => s.state)).toEqual(['closed', 'future']);
    expect(between.truth.activeSprintId).toBe('');
    expect(between.truth.sprints.map((s) => s.sprintId)).toEqual([s1!.id]);
    expect(ms(s2!.startAt!)).toBeGreaterThan(ms(between.snapshot.asOf));

    const early = snapshotAt(team, ms(s1!.startAt!) - 1);
    expect(new Set(early.snapshot.sprints.map((s) => s.state))).toEqual(new Set(['future']));
    expect(early.truth).toMatchObject({ activeSprintId: '', sprints: [], releases: [] });
    expect(early.snapshot.releases.every((r) => r.releasedAt === undefined && r.plannedDate.length === 0)).toBe(true);
  });

  it('a verdict given after T is not there yet', () => {
    const judged = team.snapshot.sprints.find((s) => s.verdict !== undefined && s.closedAt !== undefined)!;
    expect(judged).toBeDefined();
    const T = ms(judged.verdict!.at) - 1;
    expect(T).toBeGreaterThanOrEqual(ms(judged.closedAt!));
    const cut = snapshotAt(team, T);
    expect(sprint(cut, judged.id).state).toBe('closed');
    expect(sprint(cut, judged.id)).not.toHaveProperty('verdict');
    const entry = cut.truth.sprints.find((st) => st.sprintId === judged.id)!;
    expect(entry).not.toHaveProperty('verdict');
    expect(team.truth.sprints.find((st) => st.sprintId === judged.id)!.verdict).toBe(judged.verdict!.outcome);
    expect(sprint(snapshotAt(team, T + 1), judged.id).verdict).toEqual(judged.verdict);
  });

  it('a release whose planned date slipped shows the earlier date before the slip, the later one after', () => {
    const slipped = team.snapshot.releases.find((r) => new Set(r.plannedDate.map((c) => c.value)).size > 1)!;
    expect(slipped).toBeDefined();
    const slip = slipped.plannedDate.findIndex((c) => c.value !== slipped.plannedDate[0]!.value);
    const original = slipped.plannedDate[0]!.value!;
    const later = slipped.plannedDate[slip]!.value!;
    expect(later > original).toBe(true);
    const slipMs = ms(slipped.plannedDate[slip]!.at);

    const before = release(snapshotAt(team, slipMs - 1), slipped.id);
    expect(before.currentPlannedDate).toBe(original);
    expect(before.plannedDate).toEqual(slipped.plannedDate.slice(0, slip));
    expect(before).not.toHaveProperty('releasedAt');
    const after = release(snapshotAt(team, slipMs), slipped.id);
    expect(after.currentPlannedDate).toBe(later);
    expect(after.plannedDate).toEqual(slipped.plannedDate.slice(0, slip + 1));

    // Before the release started (no snapshot yet), Jira showed the date it was planned with.
    const notYet = release(snapshotAt(team, ms(slipped.startAt!) - 1), slipped.id);
    expect(notYet).toEqual({ ...slipped, plannedDate: [], currentPlannedDate: original, releasedAt: undefined });
    expect(notYet).not.toHaveProperty('releasedAt');
  });

  it('a release is released only from its ship instant on; its truth starts with it', () => {
    const shipped = team.snapshot.releases.find((r) => r.releasedAt !== undefined)!;
    const truthOf = (t: SimulatedTeam) => t.truth.releases.find((r) => r.releaseId === shipped.id);
    const full = truthOf(team)!;
    expect(full.deliveredKeys.length).toBeGreaterThan(0);
    const T = ms(shipped.releasedAt!);

    const open = snapshotAt(team, T - 1);
    expect(release(open, shipped.id)).not.toHaveProperty('releasedAt');
    expect(truthOf(open)).toEqual({ ...full, releasedAt: null, deliveredKeys: [] });
    const done = snapshotAt(team, T);
    expect(release(done, shipped.id).releasedAt).toBe(shipped.releasedAt);
    expect(truthOf(done)).toEqual(full);
    expect(truthOf(snapshotAt(team, ms(shipped.startAt!) - 1))).toBeUndefined();
    expect(truthOf(snapshotAt(team, ms(shipped.startAt!)))).toEqual({ ...full, releasedAt: null, deliveredKeys: [] });
  });

  it('a release never snapshotted keeps the only date known (the one shown at asOf)', () => {
    const blind = team.snapshot.releases.find((r) => r.plannedDate.length === 0)!;
    expect(blind).toBeDefined();
    expect(release(snapshotAt(team, ms(blind.startAt!)), blind.id).currentPlannedDate).toBe(blind.currentPlannedDate);
  });

  it('drops a parent link to an item that does not exist yet, and writes asOf in the team zone', () => {
    // The simulator never links an item to a later one; make such a link by hand.
    const [older, newer] = [team.snapshot.items[0]!, team.snapshot.items[team.snapshot.items.length - 1]!];
    expect(ms(newer.createdAt)).toBeGreaterThan(ms(older.createdAt));
    const linked: SimulatedTeam = {
      ...team,
      snapshot: { ...team.snapshot, items: team.snapshot.items.map((i) => (i === older ? { ...i, parentId: newer.id } : i)) },
    };
    expect(snapshotAt(linked, older.createdAt).snapshot.items.find((i) => i.id === older.id)).not.toHaveProperty('parentId');
    expect(snapshotAt(linked, newer.createdAt).snapshot.items.find((i) => i.id === older.id)!.parentId).toBe(newer.id);
    const utc = simulateTeam({ seed: 2, sprints: 4, timeZone: 'UTC' });
    const t = Date.parse('2025-01-02T03:04:05.006Z');
    const start = ms(utc.snapshot.sprints[1]!.startAt!);
    expect(snapshotAt(utc, Math.max(t, start)).snapshot.asOf).toBe(new Date(Math.max(t, start)).toISOString());
    expect(snapshotAt(team, Date.parse('2025-03-01T08:30:00Z')).snapshot.asOf).toBe('2025-03-01T09:30:00.000+01:00');
    expect(snapshotAt(team, Date.parse('2025-04-01T08:30:00Z')).snapshot.asOf).toBe('2025-04-01T10:30:00.000+02:00');
  });
});
