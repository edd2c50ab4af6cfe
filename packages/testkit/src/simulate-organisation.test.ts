import { parseSnapshot } from '@agile-kpi/core';
import { countChanges } from './count-events';
import { ORGANISATION_ZONES, simulateOrganisation } from './simulate-organisation';

describe('simulateOrganisation', () => {
  it('gives each team its own seed, zone, key and id space', () => {
    const org = simulateOrganisation({ seed: 5, teams: 3, sprints: 4 });
    expect(org.map((t) => t.snapshot.team.timeZone)).toEqual(ORGANISATION_ZONES.slice(0, 3));
    expect(org.map((t) => t.snapshot.items[0]!.key)).toEqual(['T01-1', 'T02-1', 'T03-1']);
    const ids = org.flatMap((t) => t.snapshot.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
    const sprintIds = org.flatMap((t) => t.snapshot.sprints.map((s) => s.id));
    expect(new Set(sprintIds).size).toBe(sprintIds.length);
    expect(new Set(org.map((t) => t.truth.seed)).size).toBe(3);
    for (const t of org) expect(() => parseSnapshot(JSON.parse(JSON.stringify(t.snapshot)))).not.toThrow();
    expect(simulateOrganisation({ seed: 5, teams: 3, sprints: 4 })).toEqual(org);
  });

  it('rejects a team count it cannot use', () => {
    expect(() => simulateOrganisation({ teams: 0 })).toThrow(/teams must be an integer/);
  });

  // 50 teams x 40 sprints is the organisation scale (~100 000 items, ~1 000 000 changes); 5 teams give a tenth.
  it('5 teams x 40 sprints give about a tenth of the organisation scale, quickly', () => {
    const started = process.hrtime.bigint();
    const org = simulateOrganisation({ seed: 42, teams: 5, sprints: 40 });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const items = org.reduce((sum, t) => sum + t.snapshot.items.length, 0);
    const changes = org.reduce((sum, t) => sum + countChanges(t.snapshot), 0);
    expect(items).toBeGreaterThan(8_500);
    expect(items).toBeLessThan(12_000);
    expect(changes).toBeGreaterThan(80_000);
    expect(changes).toBeLessThan(120_000);
    expect(seconds).toBeLessThan(10);
  });
});
