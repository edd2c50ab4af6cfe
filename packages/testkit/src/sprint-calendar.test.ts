import { DateTime } from 'luxon';
import { parseSnapshot } from '@agile-kpi/core';
import type { Change, Snapshot, WorkItem } from '@agile-kpi/core';
import { simulateOrganisation } from './simulate-organisation';
import { simulateTeam } from './simulate-team';
import type { SimulateTeamOptions } from './options';
import type { SimulatedTeam } from './ground-truth';
import { ms } from './timeline-probe';

/*
 * The 'dates' sprint calendar: sprints whose boundaries Azure DevOps can express with date-only iteration dates
 * (start = start of the start date, finish = end of the finish date, in the team's zone), planned before the
 * start and carried over at the next start instant, so that the same team can be served as Jira and as Azure
 * DevOps and give the same figures.
 */

const DAY = 86_400_000;
const dated = (options: SimulateTeamOptions = {}): SimulatedTeam => simulateTeam({ ...options, sprintCalendar: 'dates' });

const CASES: SimulateTeamOptions[] = [
  { seed: 42 },
  { seed: 1 },
  { seed: 2 },
  { seed: 3 },
  { seed: 4 },
  { seed: 5 },
  { seed: 6, timeZone: 'America/New_York', sprints: 20 },
  { seed: 7, timeZone: 'Australia/Sydney', start: '2025-03-03' },
  { seed: 8, timeZone: 'Pacific/Auckland', itemsPerSprint: 25, sprints: 15 },
  { seed: 9, timeZone: 'Asia/Kolkata', sprintLengthDays: 7, sprints: 20 },
  { seed: 10, timeZone: 'America/Santiago', start: '2025-03-31', sprints: 16 },
  { seed: 11, timeZone: 'UTC', sprints: 3, itemsPerSprint: 3 },
];

/** The change that put the item into the sprint (first one whose list has it and whose previous one had not). */
function joins(item: WorkItem, sprintId: string): Change<readonly string[]>[] {
  const out: Change<readonly string[]>[] = [];
  let previous: readonly string[] = [];
  for (const c of item.sprints) {
    if (c.value.includes(sprintId) && !previous.includes(sprintId)) out.push(c);
    previous = c.value;
  }
  return out;
}

function local(snapshot: Snapshot, iso: string): DateTime {
  return DateTime.fromISO(iso, { zone: snapshot.team.timeZone });
}

describe.each(CASES)('sprintCalendar "dates", %j', (options) => {
  const team = dated(options);
  const { snapshot, truth } = team;
  const zone = snapshot.team.timeZone;
  const len = options.sprintLengthDays ?? 14;
  const byKey = new Map(snapshot.items.map((i) => [i.key, i]));
  const item = (key: string): WorkItem => byKey.get(key)!;
  const sprints = snapshot.sprints;
  const truthOf = (id: string) => truth.sprints.find((s) => s.sprintId === id)!;

  it('every sprint starts at 00:00 local on a Monday and ends, and is closed, at 23:59:59.999 local on the Sunday before the next', () => {
    sprints.forEach((s, k) => {
      const start = local(snapshot, s.startAt!);
      const end = local(snapshot, s.plannedEndAt!);
      expect([s.name, start.weekday, start.toFormat('HH:mm:ss.SSS')]).toEqual([s.name, 1, '00:00:00.000']);
      expect([s.name, end.weekday, end.toFormat('HH:mm:ss.SSS')]).toEqual([s.name, 7, '23:59:59.999']);
      expect(end.toISODate()).toBe(start.plus({ days: len - 1 }).toISODate());
      if (k < sprints.length - 1) {
        expect(s.state).toBe('closed');
        expect(s.closedAt).toBe(s.plannedEndAt);
        expect(ms(sprints[k + 1]!.startAt!)).toBe(ms(s.plannedEndAt!) + 1);
      } else {
        expect(s.state).toBe('active');
        expect(s.closedAt).toBeUndefined();
        expect(ms(snapshot.asOf)).toBeGreaterThan(ms(s.startAt!));
        expect(ms(snapshot.asOf)).toBeLessThan(ms(s.plannedEndAt!));
      }
    });
  });

  it('Azure DevOps date-only iteration dates describe every sprint exactly (start of startDate, end of finishDate)', () => {
    for (const s of sprints) {
      const startDate = local(snapshot, s.startAt!).toISODate()!;
      const finishDate = local(snapshot, s.plannedEndAt!).toISODate()!;
      expect(DateTime.fromISO(startDate, { zone }).startOf('day').toMillis()).toBe(ms(s.startAt!));
      expect(DateTime.fromISO(finishDate, { zone }).endOf('day').toMillis()).toBe(ms(s.plannedEndAt!));
      if (s.closedAt) expect(DateTime.fromISO(finishDate, { zone }).endOf('day').toMillis()).toBe(ms(s.closedAt));
    }
  });

  it('planning happens before the start, on the last working day before it, inside working hours; never in the first day', () => {
    let planned = 0;
    sprints.forEach((s, k) => {
      const start = ms(s.startAt!);
      const carriedIn = new Set(k > 0 ? truthOf(sprints[k - 1]!.id).carriedOverKeys : []);
      for (const key of truthOf(s.id).committedKeys) {
        const changes = joins(item(key), s.id);
        for (const c of changes) {
          // No item joins during the sprint's first day and is still counted as committed.
          expect([key, ms(c.at) > start && ms(c.at) < start + DAY]).toEqual([key, false]);
        }
        const first = changes[0]!;
        if (carriedIn.has(key)) continue;
        planned += 1;
        const t = local(snapshot, first.at);
        expect([key, ms(first.at) < start]).toEqual([key, true]);
        expect([key, t.weekday]).toEqual([key, 5]);
        expect(start - ms(first.at)).toBeLessThan(4 * DAY);
        expect(t.hour * 60 + t.minute).toBeGreaterThanOrEqual(9 * 60);
        expect(t.hour * 60 + t.minute).toBeLessThan(17 * 60);
      }
    });
    expect(planned).toBeGreaterThan(sprints.length);
  });

  it('goal labels are put on at planning, before the start', () => {
    const goalLabel = snapshot.team.goalLabel!;
    let labelled = 0;
    for (const i of snapshot.items) {
      let previous: readonly string[] = [];
      for (const c of i.labels) {
        if (c.value.includes(goalLabel) && !previous.includes(goalLabel)) {
          const t = local(snapshot, c.at);
          expect([i.key, t.weekday, t.hour >= 9 && t.hour < 17]).toEqual([i.key, 5, true]);
          const next = sprints.find((s) => ms(s.startAt!) > ms(c.at))!;
          expect(ms(next.startAt!) - ms(c.at)).toBeLessThan(4 * DAY);
          labelled += 1;
        }
        previous = c.value;
      }
    }
    expect(labelled).toBeGreaterThan(0);
  });

  it('unfinished work moves to the next sprint at exactly its start instant, and is committed there', () => {
    let moves = 0;
    sprints.slice(0, -1).forEach((s, k) => {
      const next = sprints[k + 1]!;
      const carried = truthOf(s.id).carriedOverKeys;
      expect(truthOf(next.id).committedKeys).toEqual(expect.arrayContaining(carried));
      for (const key of carried) {
        const moved = joins(item(key), next.id);
        expect([key, moved.map((c) => c.at)]).toEqual([key, [next.startAt]]);
        expect(moved[0]!.value).toContain(s.id);
      }
      // Every carry-over move (the next sprint added while the closed one stays) is at the start instant.
      for (const i of snapshot.items) {
        for (const c of joins(i, next.id)) {
          if (c.value.includes(s.id)) {
            expect([i.key, c.at]).toEqual([i.key, next.startAt]);
            moves += 1;
          }
        }
      }
    });
    expect(moves).toBeGreaterThanOrEqual(truth.sprints.reduce((n, s) => n + s.carriedOverKeys.length, 0));
  });

  it('mid-sprint additions join inside the sprint, in working hours', () => {
    expect(truth.sprints.some((st) => st.addedKeys.length > 0)).toBe(true);
    for (const st of truth.sprints) {
      const s = sprints.find((x) => x.id === st.sprintId)!;
      const start = ms(s.startAt!);
      const end = ms(s.closedAt ?? snapshot.asOf);
      for (const key of st.addedKeys) {
        const when = joins(item(key), s.id).map((c) => ms(c.at)).find((t) => t > start && t <= end)!;
        const t = DateTime.fromMillis(when, { zone });
        expect([key, t.weekday <= 5, t.hour >= 9 && t.hour < 17]).toEqual([key, true, true]);
      }
    }
  });

  it('release dates are snapshotted at sprint starts', () => {
    const starts = new Set(sprints.map((s) => ms(s.startAt!)));
    for (const r of snapshot.releases) {
      expect(starts.has(ms(r.startAt!))).toBe(true);
      for (const c of r.plannedDate) expect(starts.has(ms(c.at))).toBe(true);
    }
  });

  it('is a valid snapshot', () => {
    expect(parseSnapshot(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
  });
});

describe('sprintCalendar option', () => {
  it("'instants' is the default, unchanged", () => {
    expect(simulateTeam({ seed: 3, sprintCalendar: 'instants' })).toEqual(simulateTeam({ seed: 3 }));
  });

  it("'dates' is deterministic and differs from 'instants'", () => {
    const a = dated({ seed: 7 });
    expect(JSON.stringify(dated({ seed: 7 }))).toBe(JSON.stringify(a));
    expect(a.snapshot.sprints).not.toEqual(simulateTeam({ seed: 7 }).snapshot.sprints);
  });

  it('has about the shape of the default team', () => {
    const { snapshot, truth } = dated();
    expect(truth.sprints.map((s) => s.state)).toEqual([...Array(11).fill('closed'), 'active']);
    const mean = truth.sprints.reduce((n, s) => n + s.committedKeys.length, 0) / truth.sprints.length;
    expect(mean).toBeGreaterThan(7);
    expect(mean).toBeLessThan(16);
    expect(snapshot.items.length).toBeGreaterThan(200);
  });

  it('is rejected when it is not one of the two calendars', () => {
    expect(() => simulateTeam({ sprintCalendar: 'weeks' as never })).toThrow(/sprintCalendar/);
  });

  it('passes through simulateOrganisation', () => {
    const org = simulateOrganisation({ seed: 5, teams: 3, sprints: 4, sprintCalendar: 'dates' });
    for (const t of org) {
      for (const s of t.snapshot.sprints) {
        expect(DateTime.fromISO(s.startAt!, { zone: t.snapshot.team.timeZone }).toFormat('c HH:mm')).toBe('1 00:00');
      }
    }
    expect(simulateOrganisation({ seed: 5, teams: 3, sprints: 4 })).toEqual(
      simulateOrganisation({ seed: 5, teams: 3, sprints: 4, sprintCalendar: 'instants' }),
    );
  });
});
