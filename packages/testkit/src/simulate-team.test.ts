import { parseSnapshot, SnapshotError } from '@agile-kpi/core';
import { simulateTeam } from './simulate-team';
import { countChanges } from './count-events';

describe('simulateTeam', () => {
  it('is deterministic: the same seed and options give deep-equal snapshots and truth', () => {
    const a = simulateTeam({ seed: 7 });
    const b = simulateTeam({ seed: 7 });
    expect(b).toEqual(a);
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    expect(simulateTeam()).toEqual(simulateTeam({ seed: 42 }));
  });

  it('different seeds give different histories', () => {
    const a = simulateTeam({ seed: 1 });
    const b = simulateTeam({ seed: 2 });
    expect(b.snapshot.items).not.toEqual(a.snapshot.items);
    expect(b.truth.sprints).not.toEqual(a.truth.sprints);
    expect(b.truth.seed).toBe(2);
    expect(b.snapshot.source?.generator).toBe('agile-kpi testkit seed=2');
  });

  it('does not read the clock or Math.random', () => {
    const random = jest.spyOn(Math, 'random');
    const now = jest.spyOn(Date, 'now');
    simulateTeam({ seed: 3, sprints: 4 });
    expect(random).not.toHaveBeenCalled();
    expect(now).not.toHaveBeenCalled();
    random.mockRestore();
    now.mockRestore();
  });

  it.each([42, 1, 2, 3, 4, 5])('parseSnapshot accepts the snapshot for seed %i, unchanged', (seed) => {
    const { snapshot } = simulateTeam({ seed });
    const parsed = parseSnapshot(JSON.parse(JSON.stringify(snapshot)));
    expect(parsed).toEqual(snapshot);
  });

  it.each([
    { timeZone: 'America/New_York' },
    { timeZone: 'Asia/Kolkata', sprintLengthDays: 7 },
    { timeZone: 'Australia/Sydney', start: '2025-03-03' },
    { timeZone: 'Pacific/Auckland', sprints: 30, itemsPerSprint: 25 },
    { timeZone: 'UTC', sprints: 1 },
    { sprints: 2, itemsPerSprint: 3 },
  ])('parseSnapshot accepts %j', (options) => {
    expect(() => parseSnapshot(JSON.parse(JSON.stringify(simulateTeam({ seed: 9, ...options }).snapshot)))).not.toThrow(SnapshotError);
  });

  it('has the default shape: 12 sprints, ~10 stories planned per sprint, all but the last closed', () => {
    const { snapshot, truth } = simulateTeam();
    expect(snapshot.sprints).toHaveLength(12);
    expect(truth.sprints.map((s) => s.state)).toEqual([...Array(11).fill('closed'), 'active']);
    const committed = truth.sprints.map((s) => s.committedKeys.length);
    const mean = committed.reduce((a, b) => a + b, 0) / committed.length;
    expect(mean).toBeGreaterThan(7);
    expect(mean).toBeLessThan(16);
    expect(snapshot.items.length).toBeGreaterThan(200);
    expect(countChanges(snapshot)).toBeGreaterThan(1500);
    expect(snapshot.team.name).toBe('Simulated Team');
    expect(snapshot.team.timeZone).toBe('Europe/Berlin');
    expect(snapshot.items[0]!.key).toBe('SIM-1');
    expect(snapshot.sprints[0]!.id).toBe('sim:sprint:1');
  });

  it('honours teamKey, teamName and teamIndex (disjoint ids)', () => {
    const { snapshot, truth } = simulateTeam({ teamKey: 'ABC', teamName: 'Alphabet', teamIndex: 3, sprints: 3 });
    expect(snapshot.team.name).toBe('Alphabet');
    expect(snapshot.items[0]!.key).toBe('ABC-1');
    expect(snapshot.items[0]!.id).toBe('sim:issue:3000001');
    expect(snapshot.sprints[0]!.id).toBe('sim:sprint:300001');
    expect(truth.activeSprintId).toBe('sim:sprint:300003');
    expect(snapshot.items[0]!.status[0]!.eventId).toMatch(/^sim:event:3\d{8}$/);
  });

  it('rejects options it cannot honour, naming them', () => {
    expect(() => simulateTeam({ sprints: 0 })).toThrow(/sprints must be an integer/);
    expect(() => simulateTeam({ timeZone: 'Mars/Olympus' })).toThrow(/timeZone/);
    expect(() => simulateTeam({ start: '06.01.2025' })).toThrow(/start must be a date/);
    expect(() => simulateTeam({ teamKey: 'sim' })).toThrow(/teamKey/);
    expect(() => simulateTeam({ seed: Number.NaN })).toThrow(/seed/);
  });
});
