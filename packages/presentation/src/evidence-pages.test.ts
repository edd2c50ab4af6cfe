import { computeMetrics, parseSnapshot } from '@agile-kpi/core';
import { simulateTeam } from '@agile-kpi/testkit';
import { EVIDENCE_PAGE_SIZE, EvidencePageError, cutEvidence, cutReport, joinEvidence, listAt, pageToken, readPageToken } from './evidence-pages';
import { RESULT_KEYS } from './traffic-lights';

describe('evidence in pages', () => {
  // 60 items a sprint: several evidence lists of more than 200 entries (per sprint, per release, the backlog).
  const report = computeMetrics(parseSnapshot(simulateTeam({ seed: 5, sprints: 8, itemsPerSprint: 60 }).snapshot));

  it('the doc comment example: a list of 1 000 rows keeps its first 200', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => ({ itemId: `x:${i}`, key: `X-${i}`, role: i % 4 === 0 ? 'completed' : 'committed' }));
    const cut = cutEvidence({ ...report.velocity, evidence: rows }, 'velocity', 'a1b2');
    expect(cut.first.evidence.length).toBe(200);
    const list = cut.lists.find((l) => l.path === 'evidence')!;
    // 1 000 rows, one in four completed: 250 completed, 750 committed.
    expect(list).toMatchObject({ total: 1000, roles: { completed: 250, committed: 750 }, next: expect.stringMatching(/^ev1\.a1b2\.velocity\.\d+\.200$/) });
  });

  it("counts a list's entries by the roles its metric declares (another metric's role is a type error)", () => {
    const list = cutEvidence(report.backlogHealth, 'backlogHealth', 'abc').lists.find((l) => l.path === 'evidence')!;
    const counted = (list.roles?.ready ?? 0) + (list.roles?.['not-ready'] ?? 0);
    expect(counted).toBe(list.total);
    // @ts-expect-error backlog health's evidence is ready or not-ready, never completed
    void list.roles?.completed;
  });

  it('cuts every long list of every result to its first page, and the pages joined give the result back', () => {
    let cutLists = 0;
    for (const k of RESULT_KEYS) {
      const cut = cutEvidence(report[k], k, 'abc');
      for (const [n, l] of cut.lists.entries()) {
        const whole = listAt(report[k], l.path);
        expect(whole.length).toBe(l.total);
        expect(listAt(cut.first, l.path)).toEqual(whole.slice(0, EVIDENCE_PAGE_SIZE));
        expect(cut.rest[n]).toEqual(whole.slice(EVIDENCE_PAGE_SIZE));
        cutLists++;
      }
      expect(joinEvidence(cut.first, cut.lists, cut.rest)).toEqual(report[k]);
      // The figures are untouched.
      expect([k, cut.first.value, cut.first.warnings, cut.first.params]).toEqual([k, report[k].value, report[k].warnings, report[k].params]);
    }
    expect(cutLists).toBeGreaterThan(3);
    // Lists in the details are cut too (per sprint).
    expect(cutEvidence(report.velocity, 'velocity', 'abc').lists.some((l) => /^details\.sprints\.\d+\.evidence$/.test(l.path))).toBe(true);
  });

  it('a report cut for some results only leaves the others alone', () => {
    const { report: cut, pages } = cutReport(report, 'abc', ['backlogHealth']);
    expect(Object.keys(pages)).toEqual(['backlogHealth']);
    expect(cut.velocity).toBe(report.velocity);
    expect(cut.backlogHealth.evidence.length).toBe(EVIDENCE_PAGE_SIZE);
  });

  it('reads its own tokens back, and refuses anything else with a message', () => {
    const token = pageToken({ stamp: 'f00d', kpi: 'flow', list: 2, offset: 400 });
    expect(readPageToken(token, 'flow')).toEqual({ stamp: 'f00d', kpi: 'flow', list: 2, offset: 400 });
    const refused = (t: unknown, kpi: unknown) => {
      try {
        readPageToken(t, kpi);
      } catch (err) {
        expect(err).toBeInstanceOf(EvidencePageError);
        return (err as Error).message;
      }
      throw new Error('not refused');
    };
    expect(refused('garbage', 'flow')).toMatch(/not a page token/);
    expect(refused(42, 'flow')).toMatch(/not a page token/);
    expect(refused(token, 'velocity')).toMatch(/for flow, not velocity/);
    expect(refused(token, 'nonsense')).toMatch(/kpi must be one of/);
    expect(refused(pageToken({ stamp: 'f00d', kpi: 'flow', list: 0, offset: 0 }), 'flow')).toMatch(/not the start of a page after the first/);
    expect(refused(pageToken({ stamp: 'f00d', kpi: 'flow', list: 0, offset: 250 }), 'flow')).toMatch(/not the start of a page/);
  });
});
