import { type MetricsReport, type Snapshot, type WorkItem, computeMetrics, explainChange, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';

/**
 * Causes injected on purpose into a simulated team's history must come out first, with their items. Each test
 * first checks the control: without the injection, the cause is not already the largest. The figures before
 * and after are checked against the simulator's own ground truth (which shares no code with the core), minus
 * what the injection took away, worked out here from the injected changes.
 */
const team = simulateTeam({ seed: 42 });
const SPRINT = 'sim:sprint:9';
const truth = team.truth.sprints.find((s) => s.sprintId === SPRINT)!;
const closedTruth = team.truth.sprints.filter((s) => s.state === 'closed');
const sprint = team.snapshot.sprints.find((s) => s.id === SPRINT)!;
const startMs = Date.parse(sprint.startAt!);
const closeMs = Date.parse(sprint.closedAt!);
/** Sprints 6, 7 and 8: the three closed sprints velocity averages before sprint 9. */
const meanBefore = (() => {
  const at = closedTruth.findIndex((s) => s.sprintId === SPRINT);
  const before = closedTruth.slice(at - 3, at);
  return before.reduce((a, s) => a + s.completedPoints, 0) / before.length;
})();

/** A copy of the simulated snapshot whose items' timelines a test may rewrite. */
type Editable = Omit<Snapshot, 'items'> & { items: { -readonly [K in keyof WorkItem]: WorkItem[K] }[] };
const copy = (): Editable => JSON.parse(JSON.stringify(team.snapshot));
const report = (s: Snapshot): MetricsReport => computeMetrics(parseSnapshot(s));
const explainSprint = (s: Snapshot) => explainChange({ kpi: 'velocity', report: report(s), sprint: sprint.name });
const valueAt = <T>(timeline: readonly { at: string; value: T }[], ms: number): T | undefined => timeline.filter((c) => Date.parse(c.at) <= ms).at(-1)?.value;
const iso = (ms: number) => new Date(ms).toISOString();

describe(`a simulated team's ${sprint.name}, explained`, () => {
  const control = explainSprint(team.snapshot);

  it('control: its velocity against the three sprints before, as the simulator recorded them', () => {
    expect(control.after).toBe(truth.completedPoints);
    expect(control.before).toBeCloseTo(meanBefore, 2);
    expect(control.causes[0]!.code).not.toBe('re-estimated');
    expect(control.causes[0]!.code).not.toBe('carried-over');
  });

  it('a re-estimate storm (every completed item cut to 1 point two hours before the close) comes out first', () => {
    const s = copy();
    const stormAt = closeMs - 2 * 3_600_000;
    let cut = 0;
    const stormed: string[] = [];
    for (const item of s.items.filter((i) => truth.completedKeys.includes(i.key))) {
      if (!valueAt(item.sprints, stormAt)?.includes(SPRINT)) continue;
      const was = valueAt(item.estimate, closeMs) ?? 0;
      const kept = item.estimate.filter((c) => Date.parse(c.at) <= stormAt || Date.parse(c.at) > closeMs);
      item.estimate = [...kept, { at: iso(stormAt), value: 1 }].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      cut += was - 1;
      stormed.push(item.key);
    }
    expect(cut).toBeGreaterThan(15);
    const e = explainSprint(s);
    expect(e.after).toBeCloseTo(truth.completedPoints - cut, 2);
    expect(e.change).toBeCloseTo(truth.completedPoints - cut - meanBefore, 2);
    expect(e.causes[0]!.code).toBe('re-estimated');
    expect(e.causes[0]!.effect).toBeLessThan(-cut + 5);
    const items = new Map(e.causes[0]!.items.map((i) => [i.key, i]));
    for (const key of stormed) expect(items.get(key)?.events).toContainEqual(expect.objectContaining({ field: 'estimate', to: 1, at: iso(stormAt) }));
    expect(e.causes.filter((c) => c.kind === 'part').reduce((a, c) => a + c.effect, 0)).toBeCloseTo(e.change!, 1);
  });

  it('a sick week (nothing finished in the second week; done the hour after the close instead) comes out first as carried over', () => {
    const s = copy();
    const sickFrom = startMs + 7 * 86_400_000;
    let lost = 0;
    const sick: string[] = [];
    for (const item of s.items.filter((i) => truth.completedKeys.includes(i.key))) {
      // Not the first change: that is the item's creation, which the week did not stop.
      const inWeek = item.status.slice(1).filter((c) => Date.parse(c.at) >= sickFrom && Date.parse(c.at) <= closeMs);
      if (!inWeek.length) continue;
      const others = item.status.filter((c) => !inWeek.includes(c));
      item.status = [...others, { ...inWeek.at(-1)!, at: iso(closeMs + 3_600_000) }].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
      lost += valueAt(item.estimate, closeMs) ?? 0;
      sick.push(item.key);
    }
    expect(sick.length).toBeGreaterThanOrEqual(2);
    const e = explainSprint(s);
    expect(e.after).toBeCloseTo(truth.completedPoints - lost, 2);
    expect(e.causes[0]!.code).toBe('carried-over');
    expect(e.causes[0]!.measure!.nowItems).toBe(truth.carriedOverKeys.length + sick.length);
    expect(e.causes[0]!.items.map((i) => i.key)).toEqual(expect.arrayContaining(sick));
  });
});

describe("a simulated team's open release, explained between two forecasts a sprint apart", () => {
  const asOfMs = Date.parse(team.snapshot.asOf);
  const earlier = report({ ...copy(), asOf: iso(asOfMs - 14 * 86_400_000) });
  const release = team.snapshot.releases.find((r) => !r.releasedAt)!;
  const control = explainChange({ kpi: 'releaseForecast', report: report(team.snapshot), previous: earlier, release: release.name });

  it('control: the scope added in the fortnight is not the largest cause', () => {
    expect(control.change).not.toBeNull();
    expect(control.causes[0]!.code).not.toBe('scope-added');
  });

  it('120 points of scope added a week ago come out first, item by item', () => {
    const s = copy();
    const template = s.items.find((i) => i.type.kind === 'story')!;
    const addedAt = iso(asOfMs - 7 * 86_400_000);
    const added = [1, 2, 3, 4, 5, 6].map((n): WorkItem => ({
      ...template,
      id: `sim:issue:90${n}`,
      key: `SIM-90${n}`,
      url: `${template.url!.replace(/[^/]+$/, '')}SIM-90${n}`,
      title: `Injected scope ${n}`,
      createdAt: addedAt,
      updatedAt: addedAt,
      status: [{ at: addedAt, value: template.status[0]!.value }],
      estimate: [{ at: addedAt, value: 20 }],
      sprints: [],
      releases: [{ at: addedAt, value: [release.id] }],
      flagged: [],
      labels: [],
    }));
    s.items.push(...added);
    const e = explainChange({ kpi: 'releaseForecast', report: report(s), previous: earlier, release: release.name });
    expect(e.causes[0]!.code).toBe('scope-added');
    expect(e.causes[0]!.effect).toBeGreaterThan(0);
    expect(e.causes[0]!.items.map((i) => i.key)).toEqual(expect.arrayContaining(added.map((i) => i.key)));
    expect(e.causes.find((c) => c.code === 'scope-added')!.measure!.now).toBeGreaterThanOrEqual(120);
    expect(e.causes.reduce((a, c) => a + c.effect, 0)).toBe(e.change);
  });
});
