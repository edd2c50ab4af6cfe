import { bindOutcomes, outcomeRecord, parseOutcomes } from '@agile-kpi/core';
import { simulateOutcomes } from './simulate-outcomes';
import { snapshotAt } from './snapshot-at';
import type { SimulateOutcomesOptions } from './simulate-outcomes';
import { simulateTeam } from './simulate-team';

const team = simulateTeam({ seed: 5, sprints: 15, featureEpics: ['export', 'search'] });
const plain = simulateTeam({ seed: 5, sprints: 15 });
const shipped = team.truth.releases.filter((r) => r.releasedAt !== null);
const options: SimulateOutcomesOptions = {
  seed: 9,
  csat: { perWeek: 20, baseline: [0.1, 0.1, 0.2, 0.3, 0.3] },
  nps: { perWeek: 20, baseline: [0, 0, 0, 0, 0.1, 0.1, 0.1, 0.2, 0.2, 0.2, 0.1] },
  effects: [{ release: shipped[1]!.releaseId, csat: 0.2, nps: 30 }],
  adoption: [
    { feature: 'export', curve: { kind: 'logistic', plateau: 0.4, midpoint: 20, steepness: 0.2 } },
    { feature: 'reports', release: shipped[0]!.releaseId, curve: { kind: 'linear', plateau: 0.3, days: 30 } },
  ],
  benefits: [{ feature: 'export', perMonth: 1000, currency: 'EUR' }],
  cost: { perSprint: 10_000, currency: 'EUR' },
};

describe('featureEpics: epics labelled feature:<key>, shipped with the release open when they are done', () => {
  it('labels the first epics at creation and records when each feature shipped', () => {
    expect(team.truth.features.map((f) => f.feature)).toEqual(['export', 'search']);
    for (const f of team.truth.features) {
      const epic = team.snapshot.items.find((i) => i.id === f.epicId)!;
      expect(epic.type.kind).toBe('epic');
      expect(epic.labels[0]).toMatchObject({ at: epic.createdAt, value: [`feature:${f.feature}`] });
      expect(f.doneAt).not.toBeNull();
      // In the release open when it was done: set with the transition to Done, shipped at the release's instant.
      const release = team.truth.releases.find((r) => r.releaseId === f.releaseId)!;
      expect(epic.releases).toEqual([expect.objectContaining({ at: f.doneAt, value: [f.releaseId] })]);
      expect(epic.status.find((c) => c.value.name === 'Done')!.eventId).toBe(epic.releases[0]!.eventId);
      expect(Date.parse(release.releasedAt!)).toBeGreaterThan(Date.parse(f.doneAt!));
      expect(f.shippedAt).toBe(release.releasedAt);
      expect(f.childKeys).toEqual(team.snapshot.items.filter((i) => i.parentId === f.epicId && i.type.kind !== 'subtask').map((i) => i.key));
    }
  });

  it('changes nothing else of the history: every other item, sprint, release and truth as without the option', () => {
    const epicIds = new Set(team.truth.features.map((f) => f.epicId));
    expect(team.snapshot.items.filter((i) => !epicIds.has(i.id))).toEqual(plain.snapshot.items.filter((i) => !epicIds.has(i.id)));
    expect([team.snapshot.sprints, team.snapshot.releases]).toEqual([plain.snapshot.sprints, plain.snapshot.releases]);
    const { features, ...rest } = team.truth;
    const { features: none, ...plainRest } = plain.truth;
    expect(rest).toEqual(plainRest);
    expect(none).toEqual([]);
    expect(plain.snapshot.items.some((i) => i.labels.some((c) => c.value.some((l) => l.startsWith('feature:'))))).toBe(false);
  });

  it("records each completed key's points: they add up to the sprint's completed points", () => {
    for (const s of team.truth.sprints) {
      expect(Object.keys(s.completedPointsByKey).sort()).toEqual([...s.completedKeys].sort());
      expect(Object.values(s.completedPointsByKey).reduce((a, x) => a + x, 0)).toBe(s.completedPoints);
    }
  });

  it('snapshotAt keeps a feature not done yet without a done instant, a release or a ship instant', () => {
    const f = team.truth.features[0]!;
    const before = snapshotAt(team, Date.parse(f.doneAt!) - 1).truth.features.find((x) => x.feature === f.feature)!;
    expect(before).toMatchObject({ epicKey: f.epicKey, doneAt: null, releaseId: null, shippedAt: null });
    const between = snapshotAt(team, Date.parse(f.shippedAt!) - 1).truth.features.find((x) => x.feature === f.feature)!;
    expect(between).toMatchObject({ doneAt: f.doneAt, releaseId: f.releaseId, shippedAt: null });
    expect(snapshotAt(team, team.snapshot.asOf).truth.features).toEqual(team.truth.features);
  });

  it('refuses a feature key a label cannot hold, and a key named twice', () => {
    expect(() => simulateTeam({ featureEpics: ['bulk edit'] })).toThrow(/featureEpics must be a list of feature keys without spaces/);
    expect(() => simulateTeam({ featureEpics: ['a', 'a'] })).toThrow(/featureEpics names a feature twice/);
  });
});

describe('simulateOutcomes', () => {
  const out = simulateOutcomes(team, options);

  it('is deterministic by seed', () => {
    expect(simulateOutcomes(team, options).records).toEqual(out.records);
    expect(simulateOutcomes(team, { ...options, seed: 10 }).records).not.toEqual(out.records);
  });

  it('gives records that bind to the board and pass the outcome checks unchanged, with the settings beside them', () => {
    const { outcomes, unresolved } = bindOutcomes(team.snapshot, out.records, out.settings);
    expect(unresolved).toEqual([]);
    expect(parseOutcomes(JSON.parse(JSON.stringify(outcomes)))).toEqual(outcomes);
    expect(out.settings).toEqual({ cost: { perSprint: 10_000, currency: 'EUR' }, features: [{ feature: 'reports', shippedBy: team.snapshot.releases[0]!.name }] });
    expect(new Set(out.records.map((r) => r.id)).size).toBe(out.records.length);
  });

  it('gives records an import would read from the same rows', () => {
    for (const r of out.records.filter((_, i) => i % 97 === 0)) {
      const { id, source, kind, ...fields } = r;
      const row = 'at' in fields && fields.at !== undefined ? { ...fields, date: fields.at, at: undefined } : fields;
      expect(outcomeRecord(kind, row, id, source)).toEqual({ record: r });
    }
  });

  it('draws the answers from the baseline before the lifting release and from the lifted distribution after it', () => {
    const t = Date.parse(shipped[1]!.releasedAt!);
    // CSAT: 0.2 moved from ratings 1-3 (0.4 of probability: each loses half) onto 4-5 (0.6: each gains a third).
    expect(out.truth.csatDistributionAt(t - 1)).toEqual([0.1, 0.1, 0.2, 0.3, 0.3]);
    out.truth.csatDistributionAt(t).forEach((p, i) => expect(p).toBeCloseTo([0.05, 0.05, 0.1, 0.4, 0.4][i]!, 12));
    expect(out.truth.csatShareAt(t)).toBeCloseTo(0.8, 12);
    // NPS 30 -> 60: 0.15 moved from detractors (0.3, each loses half) onto promoters (0.3, each gains half).
    expect(out.truth.npsAt(t - 1)).toBeCloseTo(0, 12);
    out.truth.npsDistributionAt(t).forEach((p, i) => expect(p).toBeCloseTo([0, 0, 0, 0, 0.05, 0.05, 0.05, 0.2, 0.2, 0.3, 0.15][i]!, 12));
    expect(out.truth.npsAt(t)).toBeCloseTo(30, 9);
    expect(out.truth.effects).toEqual([{ releaseId: shipped[1]!.releaseId, shippedAt: shipped[1]!.releasedAt, csat: 0.2, nps: 30 }]);
    const csat = out.records.filter((r) => r.kind === 'csat');
    expect(csat.every((r) => r.kind === 'csat' && r.score >= 1 && r.score <= 5)).toBe(true);
    expect(out.records.filter((r) => r.kind === 'nps').every((r) => r.kind === 'nps' && r.score >= 4)).toBe(true);
    // 20 a week from the first sprint's start (a Monday) to asOf.
    const weeks = (Date.parse(team.snapshot.asOf) - Date.parse(team.snapshot.sprints[0]!.startAt!)) / (7 * 86_400_000);
    expect(Math.abs(csat.length - 20 * weeks)).toBeLessThanOrEqual(2);
  });

  it('writes one usage row a day: none before the release, the curve after it', () => {
    const f = out.truth.features.find((x) => x.feature === 'export')!;
    expect(f.releasedOn).toBe(team.truth.features[0]!.shippedAt!.slice(0, 10));
    const rows = out.records.flatMap((r) => (r.kind === 'usage' && r.feature === 'export' ? [r] : []));
    expect(rows[0]!.users).toBe(0);
    const day = (d: string) => Math.round((Date.parse(d) - Date.parse(f.releasedOn)) / 86_400_000);
    expect(day(rows[0]!.date)).toBe(-14);
    for (const r of rows) expect(Math.abs(r.users / r.activeUsers - f.adoptionAt(day(r.date)))).toBeLessThanOrEqual(0.5 / r.activeUsers + 1e-12);
    expect(f.dayReaching(0.2)).toBe(20);
    expect(f.dayReaching(0.4)).toBeNull();
    expect(out.truth.features.find((x) => x.feature === 'reports')!.dayReaching(0.15)).toBe(15);
  });

  it('writes a benefit per month from the month after the feature shipped', () => {
    const b = out.truth.benefits[0]!;
    expect(b.epicKey).toBe(team.truth.features[0]!.epicKey);
    expect(b.months[0]! > team.truth.features[0]!.shippedAt!.slice(0, 10)).toBe(true);
    expect(b.months.every((m) => m.endsWith('-01'))).toBe(true);
    expect(b.amounts.every((a) => a >= 800 && a <= 1200)).toBe(true);
  });

  it('refuses what it cannot honour, naming the fix', () => {
    expect(() => simulateOutcomes(team, { csat: { perWeek: 10, baseline: [0.5, 0.5] } })).toThrow(/csat.baseline must be 5 probabilities/);
    expect(() => simulateOutcomes(team, { effects: [{ release: 'nope' }] })).toThrow(/no release "nope"/);
    expect(() => simulateOutcomes(team, { adoption: [{ feature: 'other', curve: { kind: 'linear', plateau: 0.2, days: 5 } }] })).toThrow(/featureEpics: \['other'\]/);
    expect(() => simulateOutcomes(team, { effects: [{ release: shipped[0]!.releaseId, csat: 0.9 }] })).toThrow(/moves 0.9 of probability/);
    expect(() => simulateOutcomes(team, { adoption: [{ feature: 'export', curve: { kind: 'linear', plateau: 2, days: 5 } }] })).toThrow(/adoption curve of export/);
  });
});
